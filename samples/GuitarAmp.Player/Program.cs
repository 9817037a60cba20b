// Plays a guitar recording through an amp model compiled in from its file: [RecurrentModel("Models/amp.json")] reads the
// model that samples/GuitarAmp trained and saved (Automated-GuitarAmpModelling JSON) at compile time and generates a
// specialized, allocation-free Process. Reads a WAV (or synthesizes a test phrase), processes it sample by sample as an
// audio callback would, writes the result, and reports the speed and the bytes allocated in the loop.
using System.Diagnostics;
using System.Globalization;
using GuitarAmp;
using GuitarAmp.Player;

const string Help = """
    Processes a WAV file through the compiled-in amp model (Models/amp.json).

    Usage: dotnet run -c Release --project samples/GuitarAmp.Player -- [input.wav [output.wav]]

      input.wav    any PCM or float WAV, mixed down to mono and resampled to 48 kHz if needed;
                   without it, a 10 s synthetic guitar phrase is played (and saved as guitaramp-phrase.wav)
      output.wav   where the processed audio goes                      default: <input>-amp.wav
    """;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 2 || args is ["--help" or "-h", ..])
{
    Console.WriteLine(Help);
    return args.Length > 2 ? 2 : 0;
}

const int SampleRate = 48_000; // the rate the model was trained at (the file format does not state it)
float[] input;
string inputPath;
bool synthesized = args.Length == 0;
if (synthesized)
{
    inputPath = "guitaramp-phrase.wav";
    input = GuitarSignal.Generate(10 * SampleRate, seed: 2024);
    WavFile.Write(inputPath, input, SampleRate);
    Console.WriteLine($"No input file: synthesized a 10 s guitar phrase, saved as {inputPath}");
}
else
{
    inputPath = args[0];
    if (!File.Exists(inputPath))
    {
        Console.Error.WriteLine($"No such file: {inputPath}\n\n{Help}");
        return 2;
    }

    int fileRate;
    try
    {
        (input, fileRate) = WavFile.Read(inputPath, SampleRate);
    }
    catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or NotSupportedException)
    {
        Console.Error.WriteLine($"{inputPath} is not a WAV file this program reads: {e.Message}");
        return 2;
    }

    Console.WriteLine($"Read {inputPath}: {input.Length / (double)SampleRate:F2} s{(fileRate != SampleRate ? $" (resampled from {fileRate} Hz to {SampleRate} Hz)" : string.Empty)}");
}

string outputPath = args.Length == 2 ? args[1] : Path.ChangeExtension(inputPath, null) + "-amp.wav";
var amp = new Amp();
Console.WriteLine($"Model: {Amp.InputSize} input, {Amp.OutputSize} output, {Amp.ParameterCount:N0} parameters, {Amp.StateLength} floats of state (compiled from Models/amp.json)");

// Warm-up: the JIT compiles and optimizes the kernels before the timed run.
for (int n = 0; n < Math.Min(input.Length, SampleRate); n++)
{
    amp.Process(input[n]);
}

// Sample by sample, as an audio callback would run it, from the model's initial state.
float[] output = new float[input.Length];
amp.Reset();
long allocated = GC.GetAllocatedBytesForCurrentThread();
int collections = GC.CollectionCount(0);
var stopwatch = Stopwatch.StartNew();
for (int n = 0; n < input.Length; n++)
{
    output[n] = amp.Process(input[n]);
}

stopwatch.Stop();
allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
collections = GC.CollectionCount(0) - collections;

double seconds = stopwatch.Elapsed.TotalSeconds, audioSeconds = input.Length / (double)SampleRate;
Console.WriteLine($"Processed {input.Length:N0} samples in {seconds * 1000:F1} ms: {input.Length / seconds / 1e6:F2} M samples/s, " +
    $"{seconds * 1e9 / input.Length:F0} ns a sample, real-time factor {audioSeconds / seconds:F0}x at {SampleRate / 1000} kHz (one core)");
Console.WriteLine($"Allocated in the loop: {allocated} bytes; garbage collections: {collections}");

WavFile.Write(outputPath, output, SampleRate);
float peak = output.Max(Math.Abs);
Console.WriteLine($"Wrote {outputPath} (peak {peak:F3}{(peak > 1 ? ", above full scale: lower the input level" : string.Empty)})");

if (synthesized)
{
    // The phrase is new to the model; the sample's target device says how close the compiled model is to it (only
    // meaningful for a model that samples/GuitarAmp trained on that device).
    float[] device = new OverdriveDevice().Render(input);
    Console.WriteLine($"ESR against the sample's target device on this phrase: {Metrics.ErrorToSignalRatio(device, output):F4}");
}

return allocated == 0 ? 0 : 1;

namespace GuitarAmp.Player
{
    /// <summary>The amp model, compiled from its file: the class gets Process, Reset and the sizes.</summary>
    [LstmGen.RecurrentModel("Models/amp.json")]
    public partial class Amp { }
}
