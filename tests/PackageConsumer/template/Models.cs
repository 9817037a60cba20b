using LstmGen;

namespace Consumer.Models
{
    /// <summary>A model in a namespace.</summary>
    [Lstm(inputSize: 3, hiddenSize: 16, sequenceLength: 8)]
    public sealed partial class Predictor { }

    /// <summary>A model nested in a partial class.</summary>
    public static partial class Container
    {
        [Lstm(inputSize: 2, hiddenSize: 8, sequenceLength: 4)]
        public partial class Nested { }
    }
}
