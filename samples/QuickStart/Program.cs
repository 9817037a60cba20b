// QuickStart: declare an LSTM with one attribute, run it step by step and over a sequence.
using System.Diagnostics;
using LstmGen;

var model = new Forecaster();
model.InitializeParameters(seed: 7);

// A synthetic multichannel signal: 32 steps of 16 features, time-major.
float[] input = new float[Forecaster.SequenceLength * Forecaster.InputSize];
for (int t = 0; t < Forecaster.SequenceLength; t++)
{
    for (int k = 0; k < Forecaster.InputSize; k++)
    {
        input[t * Forecaster.InputSize + k] = MathF.Sin(0.3f * t + k);
    }
}

// Whole sequence at once: output holds h_t for every step.
float[] output = new float[Forecaster.SequenceLength * Forecaster.HiddenSize];
float[] hidden = new float[Forecaster.HiddenSize], cell = new float[Forecaster.HiddenSize];
model.Forward(input, output, hidden, cell);

// The same sequence streamed one step at a time gives the same final state.
float[] h = new float[Forecaster.HiddenSize], c = new float[Forecaster.HiddenSize];
for (int t = 0; t < Forecaster.SequenceLength; t++)
{
    model.Step(input.AsSpan(t * Forecaster.InputSize, Forecaster.InputSize), h, c);
}

float difference = 0;
for (int j = 0; j < Forecaster.HiddenSize; j++)
{
    difference = MathF.Max(difference, MathF.Abs(h[j] - hidden[j]));
}

Console.WriteLine($"Forecaster: I={Forecaster.InputSize}, H={Forecaster.HiddenSize}, T={Forecaster.SequenceLength}, {Forecaster.ParameterCount} parameters");
Console.WriteLine($"h_T[0..4] = {string.Join(", ", hidden.Take(4).Select(v => v.ToString("F6")))}");
Console.WriteLine($"max |Forward - Step loop| on h_T = {difference:E2}");

// Steady-state cost of one step, and proof that it allocates nothing.
for (int i = 0; i < 20_000; i++)
{
    model.Step(input.AsSpan(0, Forecaster.InputSize), h, c);
}

const int Steps = 200_000;
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var stopwatch = Stopwatch.StartNew();
for (int i = 0; i < Steps; i++)
{
    model.Step(input.AsSpan((i % Forecaster.SequenceLength) * Forecaster.InputSize, Forecaster.InputSize), h, c);
}

stopwatch.Stop();
long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
Console.WriteLine($"Step: {stopwatch.Elapsed.TotalNanoseconds / Steps:F0} ns per step over {Steps:N0} steps, {allocated} bytes allocated");

[Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 32)]
public partial class Forecaster { }
