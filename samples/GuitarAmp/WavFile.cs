using NAudio.Wave;

namespace GuitarAmp;

/// <summary>Mono WAV files through NAudio: 32-bit float out; any PCM or float file in, mixed down to mono.</summary>
internal static class WavFile
{
    /// <summary>Writes mono 32-bit float samples.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="samples">The samples.</param>
    /// <param name="sampleRate">Samples per second.</param>
    public static void Write(string path, float[] samples, int sampleRate)
    {
        using var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1));
        writer.WriteSamples(samples, 0, samples.Length);
    }

    /// <summary>Reads a WAV file as mono floats (the channels averaged) at <paramref name="sampleRate"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="sampleRate">The rate wanted: a file at another rate is resampled (NAudio's WDL resampler).</param>
    /// <returns>The samples and the file's own sample rate.</returns>
    public static (float[] Samples, int FileSampleRate) Read(string path, int sampleRate)
    {
        using var reader = new WaveFileReader(path);
        ISampleProvider provider = reader.ToSampleProvider();
        int fileRate = provider.WaveFormat.SampleRate;
        if (fileRate != sampleRate)
        {
            provider = new NAudio.Wave.SampleProviders.WdlResamplingSampleProvider(provider, sampleRate);
        }

        int channels = provider.WaveFormat.Channels;
        var mono = new List<float>();
        float[] buffer = new float[4096 * channels];
        for (int read; (read = provider.Read(buffer)) > 0;)
        {
            for (int frame = 0; frame + channels <= read; frame += channels)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                {
                    sum += buffer[frame + c];
                }

                mono.Add(sum / channels);
            }
        }

        return (mono.ToArray(), fileRate);
    }
}
