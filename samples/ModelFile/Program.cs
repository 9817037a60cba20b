// A trained model file compiled in: [RecurrentModel] reads Models/amp.json (an LSTM(1 -> 40) + Linear + skip amp model
// in the Automated-GuitarAmpModelling format) at compile time and generates a specialized, allocation-free Process.
using System.Diagnostics;
using LstmGen;
using ModelFile;

const int SampleRate = 48_000;
var amp = new Amp();
Console.WriteLine($"Amp: {Amp.InputSize} input, {Amp.OutputSize} output, {Amp.ParameterCount} parameters, {Amp.StateLength} floats of state");

// Two seconds of a plucked string (a decaying sum of harmonics) as the input signal.
float[] input = new float[2 * SampleRate];
for (int n = 0; n < input.Length; n++)
{
    double t = (double)n / SampleRate, note = t < 1 ? 110 : 146.83;
    double decay = Math.Exp(-3 * (t % 1));
    input[n] = (float)(0.6 * decay * (Math.Sin(2 * Math.PI * note * t) + 0.5 * Math.Sin(4 * Math.PI * note * t) + 0.25 * Math.Sin(6 * Math.PI * note * t)) / 1.75);
}

// Sample by sample, as an audio callback would run it; then the same signal in blocks of 64 (identical results).
float[] output = new float[input.Length], blocks = new float[input.Length];
amp.Reset();
for (int n = 0; n < 1000; n++)
{
    amp.Process(input[n]); // warm-up: the JIT compiles the kernels
}

amp.Reset();
long allocated = GC.GetAllocatedBytesForCurrentThread();
var stopwatch = Stopwatch.StartNew();
for (int n = 0; n < input.Length; n++)
{
    output[n] = amp.Process(input[n]);
}

stopwatch.Stop();
allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
amp.Reset();
for (int start = 0; start < input.Length; start += 64)
{
    amp.Process(input.AsSpan(start, 64), blocks.AsSpan(start, 64));
}

double nanoseconds = stopwatch.Elapsed.TotalNanoseconds / input.Length;
Console.WriteLine($"{input.Length:N0} samples in {stopwatch.Elapsed.TotalMilliseconds:F1} ms: {nanoseconds:F0} ns per sample, " +
    $"{1e9 / nanoseconds / SampleRate:F0}x faster than real time at {SampleRate / 1000} kHz; {allocated} bytes allocated in the loop");
Console.WriteLine($"blocks of 64 give the same samples: {output.AsSpan().SequenceEqual(blocks)}");
Console.WriteLine($"peak in {input.Max(Math.Abs):F3}, peak out {output.Max(Math.Abs):F3}; first outputs: {string.Join(", ", output.Take(4).Select(v => v.ToString("F5")))}");
return allocated == 0 && output.AsSpan().SequenceEqual(blocks) ? 0 : 1;

namespace ModelFile
{
    /// <summary>The amp model, compiled from its file: the class gets Process, Reset and the sizes.</summary>
    [RecurrentModel("Models/amp.json")]
    public partial class Amp { }
}
