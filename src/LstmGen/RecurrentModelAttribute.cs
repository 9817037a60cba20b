using System;

namespace LstmGen;

/// <summary>
/// Compiles a trained model file into the partial class it is placed on: the generator reads the file at compile time,
/// takes the architecture, sizes and weights from it, and emits a specialized, allocation-free <c>Process</c>. The file
/// must be an <c>AdditionalFiles</c> item of the project; a file the generator cannot use is a compile error that
/// names the problem (LSTM010–LSTM014).
/// </summary>
/// <remarks>
/// Formats: a PyTorch <c>state_dict</c> written as JSON (<c>nn.LSTM</c>, <c>nn.GRU</c>, <c>nn.Linear</c>),
/// Automated-GuitarAmpModelling / GuitarML JSON, Neural Amp Modeler <c>.nam</c> files with the LSTM architecture, and
/// RTNeural's Keras JSON.
/// </remarks>
/// <example>
/// <code>
/// // In the project file: &lt;AdditionalFiles Include="Models/amp.json" /&gt;
/// [RecurrentModel("Models/amp.json")]
/// public partial class Amp { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RecurrentModelAttribute : Attribute
{
    /// <summary>Names the model file.</summary>
    /// <param name="path">The file's path relative to the project directory, as in its <c>AdditionalFiles</c> item.</param>
    public RecurrentModelAttribute(string path) => Path = path;

    /// <summary>The model file's path relative to the project directory.</summary>
    public string Path { get; }
}
