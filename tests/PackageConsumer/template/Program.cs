using System.Globalization;
using Consumer.Models;

// Deterministic inputs; every printed number is rounded so the JIT build, the Native AOT build and other SIMD
// paths print the same text (they differ in the last bits of a float at most).
var predictor = new Predictor();
predictor.InitializeParameters(seed: 1);
float[] input = Enumerable.Range(0, Predictor.SequenceLength * Predictor.InputSize).Select(i => MathF.Sin(0.37f * i)).ToArray();
float[] output = new float[Predictor.SequenceLength * Predictor.HiddenSize];
float[] hidden = new float[Predictor.HiddenSize], cell = new float[Predictor.HiddenSize];
predictor.Forward(input, output, hidden, cell);
Print("predictor h_T", hidden.Take(4));

float[] dx = new float[input.Length], dh0 = new float[Predictor.HiddenSize], dc0 = new float[Predictor.HiddenSize];
predictor.Backward(input, new float[Predictor.HiddenSize], new float[Predictor.HiddenSize],
    Enumerable.Repeat(0.1f, output.Length).ToArray(), new float[Predictor.HiddenSize], new float[Predictor.HiddenSize], dx, dh0, dc0);
Print("predictor dL/dx", dx.Take(4));

var nested = new Container.Nested();
nested.InitializeParameters(seed: 2);
float[] h = new float[Container.Nested.HiddenSize], c = new float[Container.Nested.HiddenSize];
for (int t = 0; t < 5; t++)
{
    nested.Step(new[] { 0.5f * t, -0.25f * t }, h, c);
}

Print("nested h_5", h.Take(4));

var encoder = new Encoder();
encoder.InitializeParameters(seed: 3);
float[] encoderHidden = new float[Encoder.HiddenSize];
encoder.Forward(input.Take(Encoder.SequenceLength * Encoder.InputSize).ToArray(), new float[Encoder.SequenceLength * Encoder.HiddenSize], encoderHidden);
Print("encoder (GRU) h_T", encoderHidden.Take(4));

var amp = new Amp();
float[] signal = Enumerable.Range(0, 64).Select(i => 0.5f * MathF.Sin(0.2f * i)).ToArray(), processed = new float[64];
amp.Process(signal, processed);
Print($"amp (.nam, {Amp.SampleRate} Hz) y", processed.Skip(60));
Console.WriteLine("consumer: OK");

static void Print(string label, IEnumerable<float> values) =>
    Console.WriteLine($"{label}: {string.Join(" ", values.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)))}");
