using System.Globalization;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// How a hardware path's vector operations read in generated code. Kernel files declare short aliases for the
/// intrinsics types at their top (<see cref="FileAliases"/>), so a load is <c>V512.LoadUnsafe(ref row, 16)</c>.
/// </summary>
internal sealed class VectorSyntax
{
    /// <summary>The <c>using</c> aliases every kernel file declares.</summary>
    public static readonly string[] FileAliases =
    {
        "using U = global::System.Runtime.CompilerServices.Unsafe;",
        "using MM = global::System.Runtime.InteropServices.MemoryMarshal;",
        "using V512 = global::System.Runtime.Intrinsics.Vector512;",
        "using V256 = global::System.Runtime.Intrinsics.Vector256;",
        "using V128 = global::System.Runtime.Intrinsics.Vector128;",
        "using F512 = global::System.Runtime.Intrinsics.Vector512<float>;",
        "using F256 = global::System.Runtime.Intrinsics.Vector256<float>;",
        "using F128 = global::System.Runtime.Intrinsics.Vector128<float>;",
        "using static global::LstmGen.Kernels.Activation;",
        "using static global::LstmGen.Kernels.Simd;",
        "using static global::LstmGen.Kernels.GradientKernels;",
    };

    public VectorSyntax(int lanes)
    {
        Lanes = lanes;
        Class = "V" + (lanes * 32).ToString(CultureInfo.InvariantCulture);
    }

    public int Lanes { get; }

    public bool IsScalar => Lanes == 1;

    /// <summary>The alias of the vector class: <c>V512</c>.</summary>
    public string Class { get; }

    public int Bits => Lanes * 32;

    /// <summary>The alias of the vector type: <c>F512</c> for <c>Vector512&lt;float&gt;</c>.</summary>
    public string Type => IsScalar ? "float" : "F" + Bits.ToString(CultureInfo.InvariantCulture);

    public string Zero => IsScalar ? "0f" : $"{Type}.Zero";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>reference + offset</c> as a ref expression; offset is C# source, or a constant that may be negative.</summary>
    public static string At(string reference, string offset)
    {
        if (offset == "0")
        {
            return $"ref {reference}";
        }

        if (offset.StartsWith("-", System.StringComparison.Ordinal))
        {
            return $"ref U.Subtract(ref {reference}, {offset.Substring(1)})";
        }

        return $"ref U.Add(ref {reference}, {offset})";
    }

    /// <summary>Loads a vector (or a float) at <c>reference + offset</c>.</summary>
    public string Load(string reference, string offset)
    {
        if (IsScalar)
        {
            return offset == "0" ? reference : $"U.Add(ref {reference}, {offset})";
        }

        if (offset.StartsWith("-", System.StringComparison.Ordinal))
        {
            return $"{Class}.LoadUnsafe({At(reference, offset)})";
        }

        return offset == "0" ? $"{Class}.LoadUnsafe(ref {reference})" : $"{Class}.LoadUnsafe(ref {reference}, {offset})";
    }

    public string Load(string reference, int offset) => Load(reference, Int(offset));

    /// <summary>Stores a vector (or a float) at <c>reference + offset</c>.</summary>
    public string Store(string value, string reference, string offset)
    {
        if (IsScalar)
        {
            return offset == "0" ? $"{reference} = {value};" : $"U.Add(ref {reference}, {offset}) = {value};";
        }

        if (offset.StartsWith("-", System.StringComparison.Ordinal))
        {
            return $"{Class}.StoreUnsafe({value}, {At(reference, offset)});";
        }

        return offset == "0" ? $"{Class}.StoreUnsafe({value}, ref {reference});" : $"{Class}.StoreUnsafe({value}, ref {reference}, {offset});";
    }

    public string Store(string value, string reference, int offset) => Store(value, reference, Int(offset));

    /// <summary>
    /// Stores only the lanes from <paramref name="firstLane"/> on: the memory's other lanes keep what an earlier
    /// vector wrote there (load, blend, store).
    /// </summary>
    public string StoreFrom(int firstLane, string value, string reference, string offset)
    {
        if (firstLane == 0)
        {
            return Store(value, reference, offset);
        }

        return Store($"{Class}.ConditionalSelect(LanesFrom{Bits}({Int(firstLane)}), {value}, {Load(reference, offset)})", reference, offset);
    }

    public string Broadcast(string value) => IsScalar ? value : $"{Class}.Create({value})";

    public string Constant(string value) => IsScalar ? value : $"{Class}.Create({value})";

    /// <summary><c>a · b + c</c>, fused where the hardware has FMA (see <c>Simd.MultiplyAdd</c>).</summary>
    public string Fma(string a, string b, string c) => $"MultiplyAdd({a}, {b}, {c})";

    public string Sigmoid(string x) => $"Sigmoid({x})";

    public string Tanh(string x) => $"Tanh({x})";

    /// <summary>A mask keeping lanes from <paramref name="firstLane"/> on (for <c>&amp;</c>).</summary>
    public string LanesFrom(int firstLane) => $"LanesFrom{Bits}({Int(firstLane)})";
}
