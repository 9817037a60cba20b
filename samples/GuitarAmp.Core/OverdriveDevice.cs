namespace GuitarAmp;

/// <summary>
/// The "target device" the model learns: a deterministic synthetic overdrive pedal at 48 kHz, built from the textbook
/// stages of one (Yeh, Abel and Smith, "Simulation of the diode limiter in guitar distortion circuits", DAFx 2007):
/// <list type="number">
/// <item>a DC-blocking first-order high-pass (the input coupling capacitor, <see cref="HighPassHz"/>);</item>
/// <item>a gain stage (<see cref="Drive"/>);</item>
/// <item>an asymmetric diode clipper: a series resistor into a capacitor with one silicon diode across it in one
/// direction and two in series in the other, <c>C·dv/dt = (u − v)/R − I_s·(e^{v/(nV_T)} − e^{−v/(2nV_T)})</c>,
/// discretized with backward Euler and solved per sample by Newton's method (kept inside a bracket, so it always
/// converges);</item>
/// <item>a one-pole tone low-pass (<see cref="ToneHz"/>) and an output level (<see cref="Level"/>).</item>
/// </list>
/// The high-pass, the clipper's capacitor and the tone filter all have memory, so a memoryless waveshaper cannot
/// match the device: a recurrent model is needed. The clipper is asymmetric (it clips positive half-waves at about
/// 0.6 V and negative ones at about 1.1 V), so it adds even harmonics as real overdrives do.
/// </summary>
public sealed class OverdriveDevice
{
    /// <summary>The sample rate the device is defined at.</summary>
    public const int SampleRate = 48_000;

    // 1N4148-like silicon diode: saturation current and ideality factor; thermal voltage at room temperature.
    private const double SaturationCurrent = 2.52e-9;
    private const double ThermalVoltage = 0.02585;
    private const double Ideality = 1.752;

    // The clipper's RC: 2.2 kΩ into 10 nF, a 7.2 kHz corner.
    private const double Resistance = 2_200;
    private const double Capacitance = 10e-9;

    private readonly double _highPassCoefficient, _toneCoefficient;
    private readonly double _forwardVoltage, _reverseVoltage, _stepOverRc, _stepIsOverC;
    private double _previousInput, _highPassed, _clipperVoltage, _tone;

    /// <summary>Creates the device in its rest state.</summary>
    /// <param name="drive">Gain before the clipper (30 ≈ 30 dB, a medium overdrive); positive.</param>
    /// <param name="toneHz">Corner of the tone low-pass, in Hz; positive and below half the sample rate.</param>
    /// <param name="level">Output gain; positive.</param>
    /// <param name="highPassHz">Corner of the DC-blocking high-pass, in Hz; positive and below half the sample rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public OverdriveDevice(double drive = 30, double toneHz = 3_000, double level = 0.5, double highPassHz = 40)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(drive);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toneHz);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(toneHz, SampleRate / 2.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(level);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(highPassHz);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(highPassHz, SampleRate / 2.0);
        Drive = drive;
        ToneHz = toneHz;
        Level = level;
        HighPassHz = highPassHz;

        const double step = 1.0 / SampleRate;
        double highPassRc = 1 / (2 * Math.PI * highPassHz);
        _highPassCoefficient = highPassRc / (highPassRc + step);
        _toneCoefficient = 1 - Math.Exp(-2 * Math.PI * toneHz / SampleRate);
        _forwardVoltage = Ideality * ThermalVoltage;
        _reverseVoltage = 2 * Ideality * ThermalVoltage; // two diodes in series share the voltage
        _stepOverRc = step / (Resistance * Capacitance);
        _stepIsOverC = step * SaturationCurrent / Capacitance;
    }

    /// <summary>Gain before the clipper.</summary>
    public double Drive { get; }

    /// <summary>Corner of the tone low-pass, in Hz.</summary>
    public double ToneHz { get; }

    /// <summary>Output gain.</summary>
    public double Level { get; }

    /// <summary>Corner of the DC-blocking high-pass, in Hz.</summary>
    public double HighPassHz { get; }

    /// <summary>The most Newton iterations one sample has needed since the last <see cref="Reset"/>.</summary>
    public int MaxIterations { get; private set; }

    /// <summary>Returns to the rest state (all capacitors discharged).</summary>
    public void Reset()
    {
        _previousInput = _highPassed = _clipperVoltage = _tone = 0;
        MaxIterations = 0;
    }

    /// <summary>Processes one sample.</summary>
    /// <param name="input">The input sample.</param>
    /// <returns>The output sample.</returns>
    public float Process(float input)
    {
        // 1. DC blocker: y[n] = a·(y[n−1] + x[n] − x[n−1]).
        _highPassed = _highPassCoefficient * (_highPassed + input - _previousInput);
        _previousInput = input;

        // 2, 3. Gain, then the clipper's capacitor voltage at the end of this sample.
        _clipperVoltage = SolveClipper(Drive * _highPassed, _clipperVoltage);

        // 4. Tone: y += a·(v − y).
        _tone += _toneCoefficient * (_clipperVoltage - _tone);
        return (float)(Level * _tone);
    }

    /// <summary>Processes a block of samples, continuing from the current state.</summary>
    /// <param name="input">The input samples.</param>
    /// <param name="output">Receives as many output samples.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != input.Length)
        {
            throw new ArgumentException($"'{nameof(output)}' must have as many samples as '{nameof(input)}' ({input.Length}), but it has {output.Length}.", nameof(output));
        }

        for (int n = 0; n < input.Length; n++)
        {
            output[n] = Process(input[n]);
        }
    }

    /// <summary>Runs a whole signal through a fresh device.</summary>
    /// <param name="input">The input samples.</param>
    /// <returns>The output samples.</returns>
    public float[] Render(ReadOnlySpan<float> input)
    {
        Reset();
        float[] output = new float[input.Length];
        Process(input, output);
        return output;
    }

    // Backward Euler on C·dv/dt = (u − v)/R − I_s·(e^{v/V_f} − e^{−v/V_r}): the new v is the root of
    //   g(v) = (1 + k)·v − (v_prev + k·u) + d(v),   k = T/RC,   d(v) = (T·I_s/C)·(e^{v/V_f} − e^{−v/V_r}).
    // g increases strictly (g' ≥ 1 + k), so there is exactly one root. d(v) has the sign of v, so the root lies between 0
    // and v₀ = (v_prev + k·u)/(1 + k), the answer without diodes; and since |d(v)| ≤ (1 + k)·|v₀| there, also within
    // V·ln(1 + (1 + k)·|v₀|/(T·I_s/C)) of 0 (V = V_f or V_r by the sign). Newton starts from v_prev, clamped into that
    // bracket (the root moves little between samples); a step that leaves the bracket bisects it instead, so a large
    // jump in u cannot send the exponentials far off.
    private double SolveClipper(double u, double previous)
    {
        double free = (previous + _stepOverRc * u) / (1 + _stepOverRc);
        double limit = Math.Log(1 + (1 + _stepOverRc) * Math.Abs(free) / _stepIsOverC) * (free >= 0 ? _forwardVoltage : _reverseVoltage);
        double lo = free >= 0 ? 0 : -Math.Min(-free, limit), hi = free >= 0 ? Math.Min(free, limit) : 0;
        double v = Math.Clamp(previous, lo, hi);
        for (int iteration = 1; iteration <= 100; iteration++)
        {
            double forward = Math.Exp(v / _forwardVoltage), reverse = Math.Exp(-v / _reverseVoltage);
            double g = (1 + _stepOverRc) * v - (1 + _stepOverRc) * free + _stepIsOverC * (forward - reverse);
            double slope = 1 + _stepOverRc + _stepIsOverC * (forward / _forwardVoltage + reverse / _reverseVoltage);
            if (g > 0)
            {
                hi = v;
            }
            else
            {
                lo = v;
            }

            double next = v - g / slope;
            if (!(next >= lo && next <= hi))
            {
                next = 0.5 * (lo + hi);
            }

            if (Math.Abs(next - v) < 1e-10 || g == 0)
            {
                MaxIterations = Math.Max(MaxIterations, iteration);
                return next;
            }

            v = next;
        }

        throw new InvalidOperationException($"The diode clipper did not converge for u = {u}, v = {previous}.");
    }
}
