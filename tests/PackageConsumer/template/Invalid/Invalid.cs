using LstmGen;

namespace Consumer.Models;

// Compiled only with -p:IncludeInvalid=true: the build must fail with LSTM002 (hiddenSize must be positive).
[Lstm(inputSize: 4, hiddenSize: 0, sequenceLength: 10)]
public partial class Broken { }
