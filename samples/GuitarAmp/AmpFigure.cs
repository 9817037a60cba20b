using ScottPlot;

namespace GuitarAmp;

/// <summary>The sample's figure: a short window of the waveforms, and the spectra of the device and the model.</summary>
internal static class AmpFigure
{
    private const int WindowMilliseconds = 25;
    private const int LowE = 40;
    private const int SpectrumSize = 8192;
    private const int BandsPerOctave = 24;

    /// <summary>Draws the figure and saves it as a PNG.</summary>
    /// <param name="path">The PNG to write.</param>
    /// <param name="device">The target device.</param>
    /// <param name="trainer">The trained model.</param>
    /// <param name="heldOutTarget">The device's output for the held-out audio.</param>
    /// <param name="heldOutModel">The model's output for it.</param>
    /// <param name="esr">The model's held-out ESR, for the title.</param>
    /// <param name="sampleRate">Samples per second.</param>
    public static void Save(string path, OverdriveDevice device, AmpTrainer trainer, float[] heldOutTarget, float[] heldOutModel, double esr, int sampleRate)
    {
        var figure = new Multiplot();
        figure.AddPlots(2);

        // The waveforms of one plucked low E (not in the training audio): the clipping is easiest to see on one note.
        float[] note = GuitarSignal.Pluck(LowE, 0.3f, sampleRate / 2, seed: 7);
        float[] noteModel = new float[note.Length];
        trainer.Process(note, noteModel);
        DrawWaveforms(figure.GetPlot(0), note, device.Render(note), noteModel, sampleRate);
        DrawSpectra(figure.GetPlot(1), heldOutTarget, heldOutModel, esr, sampleRate);
        figure.SavePng(path, 1000, 760);
    }

    private static void DrawWaveforms(Plot plot, float[] input, float[] device, float[] model, int sampleRate)
    {
        // A stretch after the attack, when the string rings at its own pitch.
        int length = WindowMilliseconds * sampleRate / 1000, start = sampleRate / 4;
        double[] time = Enumerable.Range(0, length).Select(n => 1000.0 * (start + n) / sampleRate).ToArray();
        var dry = plot.Add.ScatterLine(time, Slice(input, start, length));
        dry.LegendText = "input (dry guitar)";
        dry.Color = Colors.Gray;
        dry.LineWidth = 1.5f;
        var target = plot.Add.ScatterLine(time, Slice(device, start, length));
        target.LegendText = "target device";
        target.Color = Colors.Black;
        target.LineWidth = 4;
        var prediction = plot.Add.ScatterLine(time, Slice(model, start, length));
        prediction.LegendText = "LSTM model";
        prediction.Color = Colors.OrangeRed;
        prediction.LineWidth = 1.5f;
        prediction.LinePattern = LinePattern.Dashed;
        plot.Title($"A plucked low E (82 Hz) through the device and the model, {WindowMilliseconds} ms from t = {1000 * start / sampleRate} ms");
        plot.XLabel("time (ms)");
        plot.YLabel("amplitude");
        plot.ShowLegend(Edge.Right);
    }

    private static void DrawSpectra(Plot plot, float[] device, float[] model, double esr, int sampleRate)
    {
        float[] error = new float[device.Length];
        for (int n = 0; n < error.Length; n++)
        {
            error[n] = device[n] - model[n];
        }

        // Frequencies on a log axis: plot log10(f) and label the ticks as Hz.
        foreach (var (signal, label, color, width) in new[] { (device, "target device", Colors.Black, 3f), (model, "LSTM model", Colors.OrangeRed, 1.5f), (error, "error (target − model)", Colors.SteelBlue, 1f) })
        {
            var (bins, binDecibels) = Spectrum.Welch(signal, SpectrumSize, sampleRate);
            var (frequencies, decibels) = Spectrum.Smooth(bins, binDecibels, BandsPerOctave);
            var line = plot.Add.ScatterLine(frequencies.Select(Math.Log10).ToArray(), decibels);
            line.LegendText = label;
            line.Color = color;
            line.LineWidth = width;
        }

        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value) >= 1000 ? $"{Math.Pow(10, value) / 1000:0.#} kHz" : $"{Math.Pow(10, value):0} Hz",
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(Math.Log10(20), Math.Log10(sampleRate / 2.0));
        plot.Title($"Spectra of the {device.Length / (double)sampleRate:0.#} s of held-out audio (1/{BandsPerOctave} octave): ESR {esr:F4}");
        plot.XLabel("frequency");
        plot.YLabel("power (dB)");
        plot.ShowLegend(Edge.Right);
    }

    private static double[] Slice(float[] signal, int start, int length) => signal.AsSpan(start, length).ToArray().Select(v => (double)v).ToArray();
}
