namespace GuitarAmp;

/// <summary>
/// A synthetic, guitar-like test and training signal at 48 kHz: plucked strings by the Karplus–Strong algorithm
/// (Karplus and Strong, 1983; the fractional delay of Jaffe and Smith, 1983) playing single notes and strummed chords
/// from E2 to E5 at random velocities, with silence gaps. Deterministic for a seed.
/// </summary>
/// <remarks>
/// A string is a delay line one period long, excited by a noise burst (the pluck: darker for softer velocities), fed
/// back through a two-point average (the loss of high harmonics per round trip) and a loop gain slightly below 1 (the
/// decay). A released note (its length is over, or a seventh note needs its string) gets a loop gain of 0.85 and is
/// dropped 60 periods later, 85 dB down.
/// </remarks>
public static class GuitarSignal
{
    /// <summary>The sample rate of the generated signal.</summary>
    public const int SampleRate = OverdriveDevice.SampleRate;

    /// <summary>MIDI note of the lowest string (E2, 82.4 Hz).</summary>
    public const int LowestNote = 40;

    /// <summary>MIDI note of the highest note played (E5, 659 Hz).</summary>
    public const int HighestNote = 76;

    private const int Strings = 6;
    private const float OutputGain = 0.5f;

    /// <summary>Generates <paramref name="samples"/> samples of playing.</summary>
    /// <param name="samples">Length of the signal; at least 1.</param>
    /// <param name="seed">Seed of the notes, velocities, timing and pluck noise.</param>
    /// <returns>The signal, within ±0.95.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 1.</exception>
    public static float[] Generate(int samples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var random = new Random(seed);
        var voices = new List<StringVoice>();
        var events = new List<(int Start, int Note, float Velocity, int Length)>();

        // The score: a list of note-ons, each with its length; chords are strummed (a few ms between strings).
        for (int time = SampleRate / 20; time < samples;)
        {
            double kind = random.NextDouble();
            if (kind < 0.12)
            {
                time += Seconds(random, 0.15, 0.7); // a rest: everything rings out or has been released
                continue;
            }

            if (kind < 0.35)
            {
                int root = random.Next(LowestNote, 56);
                int[] shape = random.Next(3) switch
                {
                    0 => [0, 7, 12],        // power chord
                    1 => [0, 7, 12, 16, 19], // major, open voicing
                    _ => [0, 7, 12, 15, 19], // minor
                };
                float velocity = 0.25f + 0.75f * (float)random.NextDouble();
                int length = Seconds(random, 0.4, 1.6);
                int offset = 0;
                bool down = random.Next(2) == 0;
                for (int s = 0; s < shape.Length; s++)
                {
                    int interval = down ? shape[s] : shape[shape.Length - 1 - s];
                    events.Add((time + offset, root + interval, velocity * (0.85f + 0.15f * (float)random.NextDouble()), length - offset));
                    offset += Seconds(random, 0.006, 0.025);
                }

                time += length;
            }
            else
            {
                // Single notes: soft ones as often as loud ones (velocity² spreads the level over 0.01–1).
                int note = random.Next(LowestNote, HighestNote + 1);
                float velocity = 0.1f + 0.9f * (float)random.NextDouble();
                int length = Seconds(random, 0.1, 0.7);
                events.Add((time, note, velocity * velocity, length));
                time += length;
            }
        }

        float[] output = new float[samples];
        int next = 0;
        for (int n = 0; n < samples; n++)
        {
            while (next < events.Count && events[next].Start == n)
            {
                var (_, note, velocity, length) = events[next++];
                int ringing = voices.Count(v => !v.IsReleased(n));
                if (ringing == Strings)
                {
                    voices.First(v => !v.IsReleased(n)).Release(n); // six strings: the oldest ringing one is damped
                }

                voices.Add(new StringVoice(note, velocity, n + length, random));
            }

            float sum = 0;
            for (int v = voices.Count - 1; v >= 0; v--)
            {
                sum += voices[v].Next(n);
                if (voices[v].IsSilent)
                {
                    voices.RemoveAt(v);
                }
            }

            output[n] = OutputGain * sum;
        }

        // Strummed chords may overlap: keep the result within ±1 by scaling, not by clipping (the device clips).
        float peak = 0;
        foreach (float x in output)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        if (peak > 0.95f)
        {
            float scale = 0.95f / peak;
            for (int n = 0; n < output.Length; n++)
            {
                output[n] *= scale;
            }
        }

        return output;
    }

    /// <summary>One plucked note, left to ring: a clean test signal for looking at waveforms.</summary>
    /// <param name="note">MIDI note number, e.g. 40 for the low E string (82.4 Hz).</param>
    /// <param name="velocity">Pluck strength in (0, 1].</param>
    /// <param name="samples">Length of the signal; at least 1.</param>
    /// <param name="seed">Seed of the pluck noise.</param>
    /// <returns>The note.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static float[] Pluck(int note, float velocity, int samples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(note, 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(note, 100);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(velocity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(velocity, 1f);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        var voice = new StringVoice(note, velocity, releaseAt: int.MaxValue, new Random(seed));
        float[] output = new float[samples];
        for (int n = 0; n < samples; n++)
        {
            output[n] = OutputGain * voice.Next(n);
        }

        return output;
    }

    private static int Seconds(Random random, double min, double max) => (int)((min + (max - min) * random.NextDouble()) * SampleRate);

    /// <summary>One plucked string: y[n] = pluck[n] + g·(y[n − D] + y[n − D − 1])/2, D fractional.</summary>
    private sealed class StringVoice
    {
        private readonly float[] _line, _pluck;
        private readonly double _delay;
        private int _releaseAt;
        private float _loopGain;
        private int _write, _plucked, _releasedFor;

        public StringVoice(int note, float velocity, int releaseAt, Random random)
        {
            double frequency = 440 * Math.Pow(2, (note - 69) / 12.0);

            // The loop's delay is the period less the half sample of the two-point average.
            _delay = SampleRate / frequency - 0.5;
            _line = new float[(int)_delay + 3];
            _releaseAt = releaseAt;

            // Loop gain per round trip, a little random per string: from about 2 s to 8 s of ringing.
            _loopGain = (float)(0.9965 + 0.0025 * random.NextDouble());

            // The pluck: one period of noise through a one-pole low-pass from about 0.8 kHz (soft) to 4 kHz (hard), without DC.
            _pluck = new float[(int)Math.Round(SampleRate / frequency)];
            double brightness = 0.08 + 0.35 * velocity, state = 0, mean = 0;
            for (int k = 0; k < _pluck.Length; k++)
            {
                state += brightness * (2 * random.NextDouble() - 1 - state);
                _pluck[k] = (float)state;
                mean += state;
            }

            mean /= _pluck.Length;
            for (int k = 0; k < _pluck.Length; k++)
            {
                _pluck[k] = velocity * (float)(_pluck[k] - mean);
            }
        }

        public bool IsSilent => _releasedFor > 60 * _pluck.Length;

        public bool IsReleased(int time) => time >= _releaseAt;

        public void Release(int time) => _releaseAt = Math.Min(_releaseAt, time);

        public float Next(int time)
        {
            if (time >= _releaseAt)
            {
                // Released: the finger damps the string.
                _loopGain = 0.85f;
                _releasedFor++;
            }

            // The line holds y[n − 1] … y[n − L] with y[n − k] at (_write − k) mod L. y[n − D] lies between the
            // slots i0 = ⌊_write − D⌋ and i0 + 1, y[n − D − 1] one slot lower.
            int length = _line.Length;
            double read = _write - _delay;
            if (read < 0)
            {
                read += length;
            }

            int i0 = (int)read;
            float fraction = (float)(read - i0);
            int up = i0 + 1 == length ? 0 : i0 + 1, down = i0 == 0 ? length - 1 : i0 - 1;
            float delayed = _line[i0] + fraction * (_line[up] - _line[i0]);
            float delayedMore = _line[down] + fraction * (_line[i0] - _line[down]);
            float y = _loopGain * 0.5f * (delayed + delayedMore);
            if (_plucked < _pluck.Length)
            {
                y += _pluck[_plucked++];
            }

            _line[_write] = y;
            _write = _write + 1 == length ? 0 : _write + 1;
            return y;
        }
    }
}
