namespace GuitarAmp;

/// <summary>Power spectra for the figure: Welch's method (averaged periodograms of overlapping Hann frames).</summary>
internal static class Spectrum
{
    /// <summary>The averaged power spectrum of <paramref name="signal"/> in dB, bins 1 … size/2.</summary>
    /// <param name="signal">The samples; at least <paramref name="size"/>.</param>
    /// <param name="size">Frame length, a power of two.</param>
    /// <param name="sampleRate">Samples per second.</param>
    /// <returns>The bin frequencies in Hz and the power in dB (relative to a full-scale sine).</returns>
    public static (double[] Frequencies, double[] Decibels) Welch(ReadOnlySpan<float> signal, int size, int sampleRate)
    {
        if (!int.IsPow2(size) || signal.Length < size)
        {
            throw new ArgumentException($"'{nameof(size)}' must be a power of two no longer than the signal ({signal.Length}), but it is {size}.", nameof(size));
        }

        double[] window = new double[size];
        double windowPower = 0;
        for (int n = 0; n < size; n++)
        {
            window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / size);
            windowPower += window[n] * window[n];
        }

        double[] power = new double[size / 2 + 1], re = new double[size], im = new double[size];
        int frames = 0;
        for (int start = 0; start + size <= signal.Length; start += size / 2, frames++)
        {
            for (int n = 0; n < size; n++)
            {
                re[n] = signal[start + n] * window[n];
                im[n] = 0;
            }

            Fft(re, im);
            for (int k = 0; k <= size / 2; k++)
            {
                power[k] += re[k] * re[k] + im[k] * im[k];
            }
        }

        // A full-scale sine of amplitude 1 puts (size/2)²·(mean window)² into its bin; normalize so it reads 0 dB.
        double fullScale = Math.Pow(size / 2.0 * (window.Sum() / size), 2);
        double[] frequencies = new double[size / 2], decibels = new double[size / 2];
        for (int k = 1; k <= size / 2; k++)
        {
            frequencies[k - 1] = (double)k * sampleRate / size;
            decibels[k - 1] = 10 * Math.Log10(power[k] / frames / fullScale + 1e-20);
        }

        return (frequencies, decibels);
    }

    /// <summary>
    /// Averages a spectrum's power over bands of 1/<paramref name="bandsPerOctave"/> octave from 20 Hz up (the way audio
    /// analysers display spectra): one point per band that holds at least one bin.
    /// </summary>
    /// <param name="frequencies">Bin frequencies in Hz, increasing.</param>
    /// <param name="decibels">Bin powers in dB.</param>
    /// <param name="bandsPerOctave">Bands per octave, e.g. 24.</param>
    /// <returns>Band centres in Hz and mean powers in dB.</returns>
    public static (double[] Frequencies, double[] Decibels) Smooth(double[] frequencies, double[] decibels, int bandsPerOctave)
    {
        var centres = new List<double>();
        var powers = new List<double>();
        double ratio = Math.Pow(2, 1.0 / bandsPerOctave), top = frequencies[^1];
        for (double centre = 20; centre * Math.Sqrt(ratio) <= top * ratio; centre *= ratio)
        {
            double lo = centre / Math.Sqrt(ratio), hi = centre * Math.Sqrt(ratio), sum = 0;
            int count = 0;
            for (int k = 0; k < frequencies.Length; k++)
            {
                if (frequencies[k] >= lo && frequencies[k] < hi)
                {
                    sum += Math.Pow(10, decibels[k] / 10);
                    count++;
                }
            }

            if (count > 0)
            {
                centres.Add(centre);
                powers.Add(10 * Math.Log10(sum / count));
            }
        }

        return (centres.ToArray(), powers.ToArray());
    }

    // In-place iterative radix-2 FFT.
    private static void Fft(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            double angle = -2 * Math.PI / length;
            double wr = Math.Cos(angle), wi = Math.Sin(angle);
            for (int i = 0; i < n; i += length)
            {
                double cr = 1, ci = 0;
                for (int k = 0; k < length / 2; k++)
                {
                    int a = i + k, b = a + length / 2;
                    double tr = re[b] * cr - im[b] * ci, ti = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                    (cr, ci) = (cr * wr - ci * wi, cr * wi + ci * wr);
                }
            }
        }
    }
}
