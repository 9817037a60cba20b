using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using GuitarAmp;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests.GuitarAmp;

/// <summary>
/// The GuitarAmp sample's target device and training signal, against the circuit and the string they describe: the
/// device's small-signal response is the product of its stages' filters, its clipping levels solve the static diode
/// equation, and a plucked string sounds at its note.
/// </summary>
public sealed class GuitarAmpDeviceAndSignalTests
{
    private const int Rate = OverdriveDevice.SampleRate;

    [Theory]
    [InlineData(100.0)]
    [InlineData(1_000.0)]
    [InlineData(5_000.0)]
    public void A_tiny_sine_comes_out_scaled_by_the_stages_linear_filters(double frequency)
    {
        // Far below the diodes' knee the device is linear: gain · level · |H_hp · H_rc · H_tone| at e^{jω}, with
        //   H_hp = a·(1 − z⁻¹)/(1 − a·z⁻¹), a = RC/(RC + T), RC = 1/(2π·40 Hz)      (the DC blocker)
        //   H_rc = k/(1 + k − z⁻¹), k = T/(2.2 kΩ · 10 nF)                         (backward Euler on the clipper's RC)
        //   H_tone = b/(1 − (1 − b)·z⁻¹), b = 1 − e^{−2π·3 kHz·T}                   (the tone control)
        // (The diodes' small-signal conductance, about 8e-8 S against the resistor's 4.5e-4 S, shifts this by 2e-4.)
        var device = new OverdriveDevice();
        double t = 1.0 / Rate, rc = 1 / (2 * Math.PI * 40), a = rc / (rc + t), k = t / (2_200 * 10e-9), b = 1 - Math.Exp(-2 * Math.PI * 3_000 * t);
        Complex zInverse = Complex.Exp(new Complex(0, -2 * Math.PI * frequency / Rate));
        Complex response = a * (1 - zInverse) / (1 - a * zInverse) * (k / (1 + k - zInverse)) * (b / (1 - (1 - b) * zInverse));
        double expected = 30 * 0.5 * response.Magnitude;

        const double amplitude = 1e-5;
        float[] input = Enumerable.Range(0, Rate).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / Rate))).ToArray();
        float[] output = device.Render(input);
        double measured = SineAmplitude(output.AsSpan(Rate / 2), frequency) / amplitude;
        Assert.True(Math.Abs(measured / expected - 1) < 1e-3, $"{frequency} Hz: gain {measured:F5}, the stages' filters give {expected:F5}");
    }

    [Fact]
    public void A_loud_low_sine_clips_at_the_levels_of_one_diode_up_and_two_down()
    {
        // A 60 Hz sine of amplitude 0.5 drives the clipper to u ≈ ±15 V, so slowly that at the peaks the capacitor's
        // current is negligible: (u − v)/R = I_s·(e^{v/V_f} − e^{−v/(2V_f)}), V_f = 1.752 · 25.85 mV. One diode conducts
        // on the way up, two in series on the way down: the negative peak is about twice the positive one.
        const double frequency = 60, amplitude = 0.5;
        float[] input = Enumerable.Range(0, Rate).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / Rate))).ToArray();
        float[] output = new OverdriveDevice().Render(input);
        double rc = 1 / (2 * Math.PI * 40), a = rc / (rc + 1.0 / Rate);
        Complex zInverse = Complex.Exp(new Complex(0, -2 * Math.PI * frequency / Rate));
        double peakDrive = 30 * amplitude * (a * (1 - zInverse) / (1 - a * zInverse)).Magnitude;

        double top = output.AsSpan(Rate / 2).ToArray().Max(), bottom = output.AsSpan(Rate / 2).ToArray().Min();
        double expectedTop = 0.5 * StaticClipper(peakDrive), expectedBottom = 0.5 * StaticClipper(-peakDrive);
        Assert.True(Math.Abs(top / expectedTop - 1) < 0.01, $"positive peak {top:F4}, the diode equation gives {expectedTop:F4}");
        Assert.True(Math.Abs(bottom / expectedBottom - 1) < 0.01, $"negative peak {bottom:F4}, the diode equation gives {expectedBottom:F4}");
        Assert.InRange(bottom / -top, 1.8, 2.2);
    }

    [Fact]
    public void The_clipper_converges_in_a_few_newton_steps_even_on_full_scale_jumps()
    {
        var device = new OverdriveDevice(drive: 100);
        var random = new Random(5);
        float[] input = Enumerable.Range(0, 20_000).Select(n => n % 1000 < 500 ? (float)(2 * random.NextDouble() - 1) : (n / 37 % 2 == 0 ? 1f : -1f)).ToArray();
        float[] output = device.Render(input);
        Assert.All(output, y => Assert.True(float.IsFinite(y) && Math.Abs(y) < 1));
        Assert.InRange(device.MaxIterations, 1, 15);
        Assert.Equal(output, device.Render(input)); // Render starts from rest: deterministic
    }

    [Fact]
    public void The_guitar_signal_is_deterministic_bounded_with_loud_notes_and_rests()
    {
        float[] a = GuitarSignal.Generate(8 * Rate, seed: 3), again = GuitarSignal.Generate(8 * Rate, seed: 3), other = GuitarSignal.Generate(8 * Rate, seed: 4);
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
        Assert.InRange(a.Max(Math.Abs), 0.2f, 0.95f);

        // 50 ms windows: some silent (the rests and decayed notes), some loud.
        double[] rms = Enumerable.Range(0, a.Length / 2400).Select(w => Math.Sqrt(a.AsSpan(w * 2400, 2400).ToArray().Average(x => (double)x * x))).ToArray();
        Assert.Contains(rms, r => r < 1e-3);
        Assert.Contains(rms, r => r > 0.05);
    }

    [Theory]
    [InlineData(40, 82.41)]
    [InlineData(45, 110.0)]
    [InlineData(69, 440.0)]
    public void A_plucked_string_sounds_at_its_note(int note, double frequency)
    {
        // The period is the lag of the autocorrelation's highest peak after the attack (searched over ±25 %),
        // refined by a parabola through the peak and its neighbours.
        float[] x = GuitarSignal.Pluck(note, 0.8f, Rate / 2, seed: 1).AsSpan(Rate / 10).ToArray();
        double period = Rate / frequency;
        int lo = (int)(period * 0.75), hi = (int)(period * 1.25);
        double[] r = Enumerable.Range(0, hi + 2).Select(lag => Enumerable.Range(0, x.Length - hi - 2).Sum(n => (double)x[n] * x[n + lag])).ToArray();
        int best = Enumerable.Range(lo, hi - lo).MaxBy(lag => r[lag]);
        double refined = best + 0.5 * (r[best - 1] - r[best + 1]) / (r[best - 1] - 2 * r[best] + r[best + 1]);
        Assert.True(Math.Abs(Rate / refined / frequency - 1) < 0.005, $"note {note}: {Rate / refined:F2} Hz, expected {frequency} Hz");
    }

    // v with (u − v)/R = I_s·(e^{v/V_f} − e^{−v/(2V_f)}), by bisection.
    private static double StaticClipper(double u)
    {
        const double r = 2_200, saturation = 2.52e-9, vf = 1.752 * 0.02585;
        double lo = -Math.Abs(u), hi = Math.Abs(u);
        for (int i = 0; i < 200; i++)
        {
            double v = 0.5 * (lo + hi);
            double f = (u - v) / r - saturation * (Math.Exp(v / vf) - Math.Exp(-v / (2 * vf)));
            (lo, hi) = f > 0 ? (v, hi) : (lo, v);
        }

        return 0.5 * (lo + hi);
    }

    // The amplitude of the sine at `frequency` by least squares over whole periods.
    private static double SineAmplitude(ReadOnlySpan<float> signal, double frequency)
    {
        int n = (int)(Math.Floor(signal.Length * frequency / Rate) * Rate / frequency);
        double s = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            double phase = 2 * Math.PI * frequency * i / Rate;
            s += signal[i] * Math.Sin(phase);
            c += signal[i] * Math.Cos(phase);
        }

        return 2 * Math.Sqrt(s * s + c * c) / n;
    }
}

/// <summary>
/// The GuitarAmp sample's trainer (a short run must beat the dry signal by far) and the model it trained and committed
/// (samples/GuitarAmp.Player/Models/amp.json, compiled here by <c>[RecurrentModel]</c>): it must reach the issue's
/// target, ESR ≤ 0.05, on audio it never heard, and run without allocating.
/// </summary>
[Trait("Category", "Training")]
public sealed class GuitarAmpTrainingTests
{
    private const int Rate = OverdriveDevice.SampleRate;
    private readonly ITestOutputHelper _output;

    public GuitarAmpTrainingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_few_seconds_of_training_take_the_held_out_error_far_below_the_dry_signal()
    {
        var device = new OverdriveDevice();
        float[] trainInput = GuitarSignal.Generate(4 * Rate, seed: 5), testInput = GuitarSignal.Generate(2 * Rate, seed: 6);
        float[] trainTarget = device.Render(trainInput), testTarget = device.Render(testInput);
        var trainer = new AmpTrainer(new AmpLstm16(), new AmpTrainingOptions { Steps = 600, ReportEvery = 100, PreEmphasis = 0.85f, Seed = 1 });
        double dry = Metrics.ErrorToSignalRatio(testTarget, testInput), before = trainer.Evaluate(testInput, testTarget);
        var progress = new List<AmpProgress>();

        trainer.Train(trainInput, trainTarget, progress.Add);
        double after = trainer.Evaluate(testInput, testTarget);

        _output.WriteLine($"held-out ESR: dry {dry:F4}, untrained {before:F4}, after 600 steps {after:F4} ({progress[^1].ElapsedSeconds:F1} s, {progress[^1].SamplesPerSecond / 1e6:F1} M samples/s)");
        Assert.Equal(6, progress.Count);
        Assert.All(progress, p => Assert.True(double.IsFinite(p.TrainLoss) && p.SamplesPerSecond > 0));
        Assert.Equal(600, trainer.StepsDone);
        Assert.InRange(dry, 0.5, 0.95); // the device is far from the identity
        Assert.True(before > dry, $"an untrained model should be worse than the dry signal, got {before:F4}");
        Assert.True(after < 0.1 * dry, $"held-out ESR {after:F4} after 600 steps is not far below the dry signal's {dry:F4}");
    }

    [Fact]
    public void The_training_loop_allocates_nothing_per_step()
    {
        var device = new OverdriveDevice();
        float[] input = GuitarSignal.Generate(Rate, seed: 8), target = device.Render(input);
        // A new trainer each run (a measurement may be repeated): its construction costs the same for every step count.
        long Allocated(int steps) => Allocations.Measure(() =>
            new AmpTrainer(new AmpLstm16(), new AmpTrainingOptions { Steps = steps, ReportEvery = 1_000 }).Train(input, target));

        Allocated(3); // JIT and first-use buffers
        Assert.Equal(Allocated(5), Allocated(40));
    }

    [Theory]
    [InlineData(1 + 1_000_003, 6)] // the held-out audio of samples/GuitarAmp's default run
    [InlineData(2024, 10)]         // the phrase samples/GuitarAmp.Player plays when given no file
    [InlineData(77, 10)]
    public void The_committed_model_reaches_the_target_on_audio_it_never_heard(int seed, int seconds)
    {
        float[] input = GuitarSignal.Generate(seconds * Rate, seed);
        float[] target = new OverdriveDevice().Render(input), output = new float[input.Length];
        new PlayerAmp().Process(input, output);
        double esr = Metrics.ErrorToSignalRatio(target, output);
        _output.WriteLine($"seed {seed}, {seconds} s: ESR {esr:F5}");
        Assert.True(esr <= 0.05, $"ESR {esr:F4} > 0.05");
    }

    [Fact]
    public void The_committed_model_processes_sample_by_sample_without_allocating()
    {
        var amp = new PlayerAmp();
        float sink = amp.Process(0.1f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 10_000; n++)
        {
            sink += amp.Process(0.3f * MathF.Sin(n * 0.05f));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(float.IsFinite(sink));
    }
}
