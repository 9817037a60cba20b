// Prints, for a fresh process: the first Step call (JIT included), the mean of calls 2-100, and the steady-state
// per-step time after 2 s of calls (when tiered compilation, if any, has finished), all in nanoseconds.
using System.Diagnostics;
using LstmGen;

var model = new FirstCallModel();
model.InitializeParameters(1);
float[] x = new float[FirstCallModel.InputSize], h = new float[FirstCallModel.HiddenSize], c = new float[FirstCallModel.HiddenSize];
x[0] = 0.5f;

long t0 = Stopwatch.GetTimestamp();
model.Step(x, h, c);
double first = Stopwatch.GetElapsedTime(t0).TotalNanoseconds;

t0 = Stopwatch.GetTimestamp();
for (int i = 0; i < 99; i++)
{
    model.Step(x, h, c);
}

double early = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / 99;

var warm = Stopwatch.StartNew();
while (warm.ElapsedMilliseconds < 2000)
{
    model.Step(x, h, c);
}

const int N = 200_000;
t0 = Stopwatch.GetTimestamp();
for (int i = 0; i < N; i++)
{
    model.Step(x, h, c);
}

double steady = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / N;
Console.WriteLine(FormattableString.Invariant($"{first:F0} {early:F0} {steady:F1}"));

[Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 32)]
public sealed partial class FirstCallModel { }
