using LstmGen;

namespace Consumer.Models
{
    /// <summary>A model in a namespace.</summary>
    [Lstm(inputSize: 3, hiddenSize: 16, sequenceLength: 8)]
    public sealed partial class Predictor { }

    /// <summary>A GRU.</summary>
    [Gru(inputSize: 3, hiddenSize: 12, sequenceLength: 8)]
    public sealed partial class Encoder { }

    /// <summary>A Neural Amp Modeler file compiled in (two LSTM layers with a stored initial state).</summary>
    [RecurrentModel("Models/amp.nam")]
    public sealed partial class Amp { }

    /// <summary>A model nested in a partial class.</summary>
    public static partial class Container
    {
        [Lstm(inputSize: 2, hiddenSize: 8, sequenceLength: 4)]
        public partial class Nested { }
    }
}
