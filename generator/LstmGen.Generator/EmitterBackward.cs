using System.Collections.Generic;
using System.Linq;

namespace LstmGen.Generator;

/// <summary>The backward pass (BPTT): tape recording, cell backward, transposed products and gradient accumulation.</summary>
internal static partial class Emitter
{
    private const string ArrayPool = "global::System.Buffers.ArrayPool<float>";

    private static void EmitBackwardConstants(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line($"/// Floats a tape needs for <see cref=\"SequenceLength\"/> steps: a {LstmPlan.TapeHeaderLength}-float header, then per step");
        w.Line("/// (plus one row for the initial state) the gates i, f, g, o, the cell state, tanh of it and the hidden state:");
        w.Line("/// 7·HiddenSize floats. Used by <c>Forward(input, output, hidden, cell, tape)</c> and <see cref=\"BackwardFromTape\"/>.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line($"public const int TapeLength = {plan.TapeLength};");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Floats the workspace overload of <c>Backward</c> needs: a tape plus 2·HiddenSize floats for the gradients");
        w.Line($"/// flowing back through h and c. ({(long)plan.BackwardWorkspaceLength * 4} bytes; the overload without a workspace");
        w.Line($"/// takes them from the stack when a call needs at most {Validation.StackBudgetBytes / 1024} KiB, and from");
        w.Line("/// <see cref=\"global::System.Buffers.ArrayPool{T}.Shared\"/> otherwise.)");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line($"public const int BackwardWorkspaceLength = {plan.BackwardWorkspaceLength};");
        w.Line();
        w.Line("// Tape geometry: row t (t = -1 for the initial state) starts at TapeHeaderLength + (t + 1)·TapeStride.");
        w.Line($"private const int TapeHeaderLength = {LstmPlan.TapeHeaderLength};");
        w.Line($"private const int TapeStride = {plan.TapeStride};");
        w.Line();
        w.Line("// Backward without a workspace uses the stack up to this many floats, the shared array pool beyond.");
        w.Line($"private const int BackwardStackLimitFloats = {Validation.StackBudgetBytes / 4};");
        w.Line();
        w.Line("// Created on first use: inference-only code never pays for gradient storage.");
        w.Line(GeneratedCode);
        w.Line("private global::LstmGen.Kernels.AlignedBuffer? _lstmGradients;");
        w.Line();
    }

    private static void EmitBackwardMembers(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// The accumulated gradient of the loss with respect to every parameter: same length and order as");
        w.Line("/// <see cref=\"Parameters\"/>. <c>Backward</c> adds to it (like PyTorch's <c>.grad</c>); <see cref=\"ZeroGradients\"/> resets it.");
        w.Line("/// Allocated on first use.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line($"public {Span} Gradients => (_lstmGradients ??= new global::LstmGen.Kernels.AlignedBuffer(ParameterCount)).Span;");
        w.Line();
        w.Line("/// <summary>Sets every accumulated gradient to zero.</summary>");
        w.Line(GeneratedCode);
        w.Line("public void ZeroGradients() => _lstmGradients?.Span.Clear();");
        w.Line();
        w.Line("/// <summary>Writes the accumulated gradients in PyTorch <c>nn.LSTM</c> layout (the shapes of <see cref=\"ExportPyTorch\"/>).</summary>");
        w.Line($"/// <param name=\"weightIh\">Receives ∂L/∂<c>weight_ih_l0</c>: {plan.GateCount * plan.InputSize} floats.</param>");
        w.Line($"/// <param name=\"weightHh\">Receives ∂L/∂<c>weight_hh_l0</c>: {plan.GateCount * plan.HiddenSize} floats.</param>");
        w.Line($"/// <param name=\"biasIh\">Receives ∂L/∂<c>bias_ih_l0</c>: {plan.GateCount} floats.</param>");
        w.Line($"/// <param name=\"biasHh\">Receives ∂L/∂<c>bias_hh_l0</c>: {plan.GateCount} floats.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not match its shape.</exception>");
        w.Line(GeneratedCode);
        w.Line($"public void ExportGradientsPyTorch({Span} weightIh, {Span} weightHh, {Span} biasIh, {Span} biasHh)");
        w.Line("    => global::LstmGen.PyTorchLayout.Export(Gradients, InputSize, HiddenSize, weightIh, weightHh, biasIh, biasHh);");
        w.Line();

        EmitForwardRecording(w, plan);
        EmitBackwardFromTape(w, plan);
        EmitBackwardSelfContained(w, plan);
        EmitBackwardWithWorkspace(w, plan);
        EmitBackwardCore(w, plan);
    }

    private const string BackwardParamsDoc = """
        /// <param name="outputGradient">∂L/∂output: <c>steps·HiddenSize</c> floats, time-major like <c>Forward</c>'s output.</param>
        /// <param name="finalHiddenGradient">∂L/∂h_N, for a loss that uses the final hidden state (zeros if it does not): <see cref="HiddenSize"/> floats.</param>
        /// <param name="finalCellGradient">∂L/∂c_N: <see cref="HiddenSize"/> floats.</param>
        /// <param name="inputGradient">Receives ∂L/∂input: <c>steps·InputSize</c> floats.</param>
        /// <param name="initialHiddenGradient">Receives ∂L/∂h_0: <see cref="HiddenSize"/> floats.</param>
        /// <param name="initialCellGradient">Receives ∂L/∂c_0: <see cref="HiddenSize"/> floats.</param>
        """;

    private static void EmitGradientValidation(SourceWriter w)
    {
        w.Line($"{Throw}.IfLengthIsNot(nameof(outputGradient), outputGradient.Length, steps * HiddenSize, \"steps · HiddenSize\");");
        w.Line($"{Throw}.IfLengthIsNot(nameof(finalHiddenGradient), finalHiddenGradient.Length, HiddenSize, \"HiddenSize\");");
        w.Line($"{Throw}.IfLengthIsNot(nameof(finalCellGradient), finalCellGradient.Length, HiddenSize, \"HiddenSize\");");
        w.Line($"{Throw}.IfLengthIsNot(nameof(inputGradient), inputGradient.Length, steps * InputSize, \"steps · InputSize\");");
        w.Line($"{Throw}.IfLengthIsNot(nameof(initialHiddenGradient), initialHiddenGradient.Length, HiddenSize, \"HiddenSize\");");
        w.Line($"{Throw}.IfLengthIsNot(nameof(initialCellGradient), initialCellGradient.Length, HiddenSize, \"HiddenSize\");");
    }

    private static void EmitForwardRecording(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// <c>Forward</c> that also records, in <paramref name=\"tape\"/>, the activations the backward pass needs, so a");
        w.Line("/// training step runs the forward once: call this, compute the loss gradient from <paramref name=\"output\"/>, then");
        w.Line("/// <see cref=\"BackwardFromTape\"/>. Outputs are identical to <c>Forward</c> without a tape.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"input\">Time-major inputs: <c>steps·InputSize</c> floats, 1 ≤ steps ≤ <see cref=\"SequenceLength\"/>.</param>");
        w.Line("/// <param name=\"output\">Receives h_t of every step: <c>steps·HiddenSize</c> floats.</param>");
        w.Line("/// <param name=\"hidden\">In: h_0; out: h_N. <see cref=\"HiddenSize\"/> floats.</param>");
        w.Line("/// <param name=\"cell\">In: c_0; out: c_N. <see cref=\"HiddenSize\"/> floats.</param>");
        w.Line("/// <param name=\"tape\">Receives the recording: at least <see cref=\"TapeLength\"/> floats.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; the message names it and both lengths.</exception>");
        EmitMethodAttributes(w, plan);
        w.Line($"public void Forward({ReadOnlySpan} input, {Span} output, {Span} hidden, {Span} cell, {Span} tape)");
        using (w.Braces())
        {
            w.Line($"int steps = {Throw}.StepsOf(nameof(input), input.Length, InputSize, SequenceLength);");
            w.Line($"{Throw}.IfLengthIsNot(nameof(output), output.Length, steps * HiddenSize, \"steps · HiddenSize\");");
            w.Line($"{Throw}.IfLengthIsNot(nameof(hidden), hidden.Length, HiddenSize, \"HiddenSize\");");
            w.Line($"{Throw}.IfLengthIsNot(nameof(cell), cell.Length, HiddenSize, \"HiddenSize\");");
            w.Line($"{Throw}.IfShorterThan(nameof(tape), tape.Length, TapeLength, \"TapeLength\");");
            w.Line();
            w.Line("RecordForward(input, steps, hidden, cell, tape);");
            w.Line();
            w.Line("// Hand out what the tape holds: h_t for every step, and the final state.");
            w.Line("for (int t = 0; t < steps; t++)");
            using (w.Braces())
            {
                w.Line("tape.Slice(TapeHeaderLength + (t + 1) * TapeStride + 6 * HiddenSize, HiddenSize).CopyTo(output.Slice(t * HiddenSize, HiddenSize));");
            }

            w.Line("output.Slice((steps - 1) * HiddenSize, HiddenSize).CopyTo(hidden);");
            w.Line("tape.Slice(TapeHeaderLength + steps * TapeStride + 4 * HiddenSize, HiddenSize).CopyTo(cell);");
        }

        w.Line();
        w.Line("// Writes the header and row -1 (h_0, c_0), then runs the recording kernel for every step.");
        EmitMethodAttributes(w, plan);
        w.Line($"private void RecordForward({ReadOnlySpan} input, int steps, {ReadOnlySpan} initialHidden, {ReadOnlySpan} initialCell, {Span} tape)");
        using (w.Braces())
        {
            w.Line("// The header says what recorded the tape, so BackwardFromTape can refuse a foreign or stale one.");
            w.Line("tape.Slice(0, TapeHeaderLength).Clear();");
            w.Line("tape[0] = InputSize;");
            w.Line("tape[1] = HiddenSize;");
            w.Line("tape[2] = steps;");
            w.Line("initialCell.CopyTo(tape.Slice(TapeHeaderLength + 4 * HiddenSize, HiddenSize));");
            w.Line("initialHidden.CopyTo(tape.Slice(TapeHeaderLength + 6 * HiddenSize, HiddenSize));");
            w.Line("ref float weights = ref _lstmParameters.Reference;");
            w.Line($"ref float x = ref {MemoryMarshal}.GetReference(input);");
            w.Line($"ref float rows = ref {MemoryMarshal}.GetReference(tape);");
            EmitDispatch(w, plan, (path, _) => w.Line($"LstmKernels.RecordSequence{path.SequenceSuffix}(ref weights, ref x, steps, ref rows);"));
        }

        w.Line();
    }

    private static void EmitBackwardFromTape(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// The backward pass from a tape recorded by <c>Forward(input, output, hidden, cell, tape)</c> on the same input:");
        w.Line("/// writes ∂L/∂input, ∂L/∂h_0, ∂L/∂c_0 and adds ∂L/∂parameters to <see cref=\"Gradients\"/>. The tape is consumed (its");
        w.Line("/// gate rows are reused for the gate gradients), so record again before the next call. Allocation-free.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"input\">The input the tape was recorded with: <c>steps·InputSize</c> floats.</param>");
        w.Line("/// <param name=\"tape\">The recording; at least <see cref=\"TapeLength\"/> floats.</param>");
        w.Lines(BackwardParamsDoc);
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong, or the tape was not recorded for this input (or was already consumed).</exception>");
        EmitMethodAttributes(w, plan);
        w.Line($"public void BackwardFromTape({ReadOnlySpan} input, {Span} tape, {ReadOnlySpan} outputGradient, {ReadOnlySpan} finalHiddenGradient, {ReadOnlySpan} finalCellGradient, {Span} inputGradient, {Span} initialHiddenGradient, {Span} initialCellGradient)");
        using (w.Braces())
        {
            w.Line($"int steps = {Throw}.StepsOf(nameof(input), input.Length, InputSize, SequenceLength);");
            w.Line($"{Throw}.IfShorterThan(nameof(tape), tape.Length, TapeLength, \"TapeLength\");");
            w.Line($"{Throw}.IfTapeDoesNotMatch(nameof(tape), tape[0], tape[1], tape[2], InputSize, HiddenSize, steps);");
            EmitGradientValidation(w);
            w.Line();
            w.Line("// A consumed tape must not be used again: its gate rows now hold gate gradients.");
            w.Line("tape[2] = 0;");
            w.Line($"{Span} scratch = stackalloc float[2 * HiddenSize];");
            w.Line("BackwardCore(input, steps, tape, scratch, outputGradient, finalHiddenGradient, finalCellGradient, inputGradient, initialHiddenGradient, initialCellGradient);");
        }

        w.Line();
    }

    private static void EmitBackwardSelfContained(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// Backpropagation through time for the loss L of <c>Forward(input, output, h, c)</c> started from");
        w.Line("/// (<paramref name=\"initialHidden\"/>, <paramref name=\"initialCell\"/>): writes ∂L/∂input, ∂L/∂h_0 and ∂L/∂c_0, and");
        w.Line("/// adds ∂L/∂parameters to <see cref=\"Gradients\"/> (like PyTorch's <c>.grad</c>). It recomputes the forward");
        w.Line("/// activations itself, into a stack buffer (or, for calls needing more than the stack budget, a pooled array:");
        w.Line("/// no garbage either way); nothing is kept between calls. Not safe to call concurrently on one instance.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"input\">Time-major inputs: <c>steps·InputSize</c> floats, 1 ≤ steps ≤ <see cref=\"SequenceLength\"/>.</param>");
        w.Line("/// <param name=\"initialHidden\">h_0 of the forward pass: <see cref=\"HiddenSize\"/> floats.</param>");
        w.Line("/// <param name=\"initialCell\">c_0 of the forward pass: <see cref=\"HiddenSize\"/> floats.</param>");
        w.Lines(BackwardParamsDoc);
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; the message names it and both lengths.</exception>");
        EmitMethodAttributes(w, plan);
        w.Line($"public void Backward({ReadOnlySpan} input, {ReadOnlySpan} initialHidden, {ReadOnlySpan} initialCell, {ReadOnlySpan} outputGradient, {ReadOnlySpan} finalHiddenGradient, {ReadOnlySpan} finalCellGradient, {Span} inputGradient, {Span} initialHiddenGradient, {Span} initialCellGradient)");
        using (w.Braces())
        {
            w.Line($"int steps = {Throw}.StepsOf(nameof(input), input.Length, InputSize, SequenceLength);");
            w.Line($"{Throw}.IfLengthIsNot(nameof(initialHidden), initialHidden.Length, HiddenSize, \"HiddenSize\");");
            w.Line($"{Throw}.IfLengthIsNot(nameof(initialCell), initialCell.Length, HiddenSize, \"HiddenSize\");");
            EmitGradientValidation(w);
            w.Line();
            w.Line("// This call's tape (steps + 1 rows, not SequenceLength + 1) plus the two gradient vectors.");
            w.Line("int needed = TapeHeaderLength + (steps + 1) * TapeStride + 2 * HiddenSize;");
            w.Line("float[]? rented = null;");
            w.Line($"{Span} workspace = needed <= BackwardStackLimitFloats");
            w.Line("    ? stackalloc float[needed]");
            w.Line($"    : (rented = {ArrayPool}.Shared.Rent(needed));");
            w.Line("try");
            using (w.Braces())
            {
                w.Line("BackwardUsingWorkspace(input, steps, initialHidden, initialCell, outputGradient, finalHiddenGradient, finalCellGradient, inputGradient, initialHiddenGradient, initialCellGradient, workspace);");
            }

            w.Line("finally");
            using (w.Braces())
            {
                w.Line("if (rented is not null)");
                using (w.Braces())
                {
                    w.Line($"{ArrayPool}.Shared.Return(rented);");
                }
            }
        }

        w.Line();
    }

    private static void EmitBackwardWithWorkspace(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// <c>Backward</c> with a caller-provided workspace instead of stack memory: for configurations whose tape is");
        w.Line($"/// large (this one needs {(long)plan.BackwardWorkspaceLength * 4} bytes for <see cref=\"SequenceLength\"/> steps), or to keep");
        w.Line("/// the stack small on threads with little of it. Same results as the overload without a workspace.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"input\">Time-major inputs: <c>steps·InputSize</c> floats, 1 ≤ steps ≤ <see cref=\"SequenceLength\"/>.</param>");
        w.Line("/// <param name=\"initialHidden\">h_0 of the forward pass: <see cref=\"HiddenSize\"/> floats.</param>");
        w.Line("/// <param name=\"initialCell\">c_0 of the forward pass: <see cref=\"HiddenSize\"/> floats.</param>");
        w.Lines(BackwardParamsDoc);
        w.Line("/// <param name=\"workspace\">Scratch memory: at least <see cref=\"BackwardWorkspaceLength\"/> floats; its contents are overwritten.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; the message names it and both lengths.</exception>");
        EmitMethodAttributes(w, plan);
        w.Line($"public void Backward({ReadOnlySpan} input, {ReadOnlySpan} initialHidden, {ReadOnlySpan} initialCell, {ReadOnlySpan} outputGradient, {ReadOnlySpan} finalHiddenGradient, {ReadOnlySpan} finalCellGradient, {Span} inputGradient, {Span} initialHiddenGradient, {Span} initialCellGradient, {Span} workspace)");
        using (w.Braces())
        {
            w.Line($"int steps = {Throw}.StepsOf(nameof(input), input.Length, InputSize, SequenceLength);");
            w.Line($"{Throw}.IfLengthIsNot(nameof(initialHidden), initialHidden.Length, HiddenSize, \"HiddenSize\");");
            w.Line($"{Throw}.IfLengthIsNot(nameof(initialCell), initialCell.Length, HiddenSize, \"HiddenSize\");");
            EmitGradientValidation(w);
            w.Line($"{Throw}.IfShorterThan(nameof(workspace), workspace.Length, BackwardWorkspaceLength, \"BackwardWorkspaceLength\");");
            w.Line("BackwardUsingWorkspace(input, steps, initialHidden, initialCell, outputGradient, finalHiddenGradient, finalCellGradient, inputGradient, initialHiddenGradient, initialCellGradient, workspace);");
        }

        w.Line();
        w.Line("// Records the forward pass into the front of the workspace, then runs the backward pass from it.");
        EmitMethodAttributes(w, plan);
        w.Line($"private void BackwardUsingWorkspace({ReadOnlySpan} input, int steps, {ReadOnlySpan} initialHidden, {ReadOnlySpan} initialCell, {ReadOnlySpan} outputGradient, {ReadOnlySpan} finalHiddenGradient, {ReadOnlySpan} finalCellGradient, {Span} inputGradient, {Span} initialHiddenGradient, {Span} initialCellGradient, {Span} workspace)");
        using (w.Braces())
        {
            w.Line("int tapeLength = TapeHeaderLength + (steps + 1) * TapeStride;");
            w.Line($"{Span} tape = workspace.Slice(0, tapeLength);");
            w.Line("RecordForward(input, steps, initialHidden, initialCell, tape);");
            w.Line("BackwardCore(input, steps, tape, workspace.Slice(tapeLength, 2 * HiddenSize), outputGradient, finalHiddenGradient, finalCellGradient, inputGradient, initialHiddenGradient, initialCellGradient);");
        }

        w.Line();
    }

    private static void EmitBackwardCore(SourceWriter w, LstmPlan plan)
    {
        w.Line("// Dispatches the backward kernels once the spans are validated.");
        EmitMethodAttributes(w, plan);
        w.Line($"private void BackwardCore({ReadOnlySpan} input, int steps, {Span} tape, {Span} scratch, {ReadOnlySpan} outputGradient, {ReadOnlySpan} finalHiddenGradient, {ReadOnlySpan} finalCellGradient, {Span} inputGradient, {Span} initialHiddenGradient, {Span} initialCellGradient)");
        using (w.Braces())
        {
            w.Line("// ∂L/∂h and ∂L/∂c flowing back through time start from the gradients of the final state.");
            w.Line("finalHiddenGradient.CopyTo(scratch);");
            w.Line("finalCellGradient.CopyTo(scratch.Slice(HiddenSize));");
            w.Line("ref float weights = ref _lstmParameters.Reference;");
            w.Line($"ref float gradients = ref {MemoryMarshal}.GetReference(Gradients);");
            w.Line($"ref float x = ref {MemoryMarshal}.GetReference(input);");
            w.Line($"ref float rows = ref {MemoryMarshal}.GetReference(tape);");
            w.Line($"ref float hiddenGradient = ref {MemoryMarshal}.GetReference(scratch);");
            w.Line($"ref float dy = ref {MemoryMarshal}.GetReference(outputGradient);");
            w.Line($"ref float dx = ref {MemoryMarshal}.GetReference(inputGradient);");
            EmitDispatch(w, plan, (path, _) => w.Line($"LstmKernels.BackwardSequence{path.BackwardSuffix}(ref weights, ref gradients, ref x, steps, ref rows, ref dy, ref dx, ref hiddenGradient);"));
            w.Line();
            w.Line("scratch.Slice(0, HiddenSize).CopyTo(initialHiddenGradient);");
            w.Line("scratch.Slice(HiddenSize, HiddenSize).CopyTo(initialCellGradient);");
        }

        w.Line();
    }

    // ---------------------------------------------------------------- kernels

    private static void EmitBackwardKernels(SourceWriter w, LstmPlan plan)
    {
        foreach (ColumnPlan columns in plan.ColumnPlans)
        {
            if (columns.IsScalar)
            {
                EmitScalarDots(w, plan);
                w.Line();
                EmitScalarGemm(w, plan);
            }
            else
            {
                EmitVectorDots(w, plan, columns);
                w.Line();
                EmitVectorGemm(w, plan, columns);
            }

            w.Line();
        }

        var emitted = new HashSet<string>();
        foreach (IsaPath path in plan.Paths)
        {
            if (emitted.Add(path.BackwardSuffix))
            {
                EmitBackwardSequence(w, plan, path);
                w.Line();
            }
        }
    }

    private static void EmitRecordLoop(SourceWriter w, LstmPlan plan, IsaPath path)
    {
        KernelPlan k = path.Kernel;
        bool projects = Projects(plan, path);
        w.Line(projects
            ? $"/// <summary>Records <paramref name=\"steps\"/> steps into the tape, in blocks of up to {plan.ProjectionBlockSteps} (input projection first); row -1 (h_0, c_0) is already in the tape.</summary>"
            : $"/// <summary>Runs <see cref=\"Record{k.Suffix}\"/> over <paramref name=\"steps\"/> steps; row -1 (h_0, c_0) is already in the tape.</summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void RecordSequence{path.SequenceSuffix}(ref float weights, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            w.Line($"ref float previous = ref {Unsafe}.Add(ref tape, TapeHeaderLength);");
            if (projects)
            {
                EmitProjectedBlocks(
                    w,
                    plan,
                    path,
                    $"ref float row = ref {Unsafe}.Add(ref previous, TapeStride);",
                    "// As in Forward: odd steps read W_hh last row first (same results, bit for bit, as Forward).",
                    "RecordRecurrent",
                    $"ref {Unsafe}.Add(ref previous, 6 * HiddenSize), ref {Unsafe}.Add(ref previous, 4 * HiddenSize), ref row",
                    () => w.Line("previous = ref row;"));
            }
            else
            {
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line($"ref float row = ref {Unsafe}.Add(ref previous, TapeStride);");
                    w.Line($"Record{k.Suffix}(ref weights, ref {Unsafe}.Add(ref input, (nuint)(t * InputSize)), ref {Unsafe}.Add(ref previous, 6 * HiddenSize), ref {Unsafe}.Add(ref previous, 4 * HiddenSize), ref row);");
                    w.Line("previous = ref row;");
                }
            }
        }
    }

    private static void EmitBackwardSequence(SourceWriter w, LstmPlan plan, IsaPath path)
    {
        w.Line("/// <summary>");
        w.Line("/// Backpropagation through time over a recorded tape, last step first. Per step: the cell's backward pass");
        w.Line("/// turns ∂L/∂h_t and ∂L/∂c_t into the gate gradients dz (stored over the gates in the tape row) and ∂L/∂c_{t-1};");
        w.Line("/// the transposed products W_ihᵀ·dz and W_hhᵀ·dz give ∂L/∂x_t and ∂L/∂h_{t-1}. The parameter gradients are");
        w.Line("/// accumulated after the loop, from all steps' dz at once.");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void BackwardSequence{path.BackwardSuffix}(ref float weights, ref float gradients, ref float input, int steps, ref float tape, ref float outputGradient, ref float inputGradient, ref float hiddenGradient)");
        using (w.Braces())
        {
            w.Line("// hiddenGradient holds ∂L/∂h (H floats), followed by ∂L/∂c (H floats); both are updated step by step.");
            w.Line($"ref float cellGradient = ref {Unsafe}.Add(ref hiddenGradient, HiddenSize);");
            w.Line("for (int t = steps - 1; t >= 0; t--)");
            using (w.Braces())
            {
                w.Line($"ref float row = ref {Unsafe}.Add(ref tape, (nuint)(TapeHeaderLength + (t + 1) * TapeStride));");
                w.Line($"CellBackward{path.Kernel.Suffix}(ref row, ref {Unsafe}.Subtract(ref row, TapeStride), ref {Unsafe}.Add(ref outputGradient, (nuint)(t * HiddenSize)), ref hiddenGradient, ref cellGradient);");
                if (path.Columns.IsScalar)
                {
                    w.Line($"TransposedProductsScalar(ref weights, ref row, ref {Unsafe}.Add(ref inputGradient, (nuint)(t * InputSize)), ref hiddenGradient);");
                }
                else
                {
                    w.Line("// Alternate steps read W_hh's rows in opposite orders: each starts with the rows the last one left in L1.");
                    w.Line($"HiddenGradient{path.Columns.Suffix}(ref weights, ref row, ref hiddenGradient, (t & 1) == 1);");
                }
            }

            w.Line();
            if (!path.Columns.IsScalar)
            {
                w.Line($"InputGradients{path.Columns.Suffix}(ref weights, ref tape, steps, ref inputGradient);");
            }

            w.Line($"AccumulateParameterGradients{path.Columns.Suffix}(ref gradients, ref input, steps, ref tape);");
        }
    }

    private static void EmitCellBackward(SourceWriter w, LstmPlan plan, KernelPlan k)
    {
        int h = plan.HiddenSize;
        w.Line("/// <summary>");
        w.Line("/// The cell's backward pass for one step. In: ∂L/∂h_t = dy_t + (the gradient from step t+1), ∂L/∂c_t. Out: the gate");
        w.Line("/// gradients dz (over the gates in the tape row) and ∂L/∂c_{t-1} (over ∂L/∂c_t).");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void CellBackward{k.Suffix}(ref float row, ref float previousRow, ref float outputGradient, ref float hiddenGradient, ref float cellGradient)");
        using (w.Braces())
        {
            if (k.IsScalar)
            {
                w.Line("for (nuint j = 0; j < HiddenSize; j++)");
                using (w.Braces())
                {
                    EmitCellBackwardBody(w, null, "j", store: true, prefix: string.Empty);
                }

                return;
            }

            if (k.HasTailGroup)
            {
                w.Line($"// The tail group (units {h - k.Lanes}..{h - 1}) overlaps its neighbour, and every group overwrites its gates with dz and");
                w.Line("// ∂L/∂c_t with ∂L/∂c_{t-1}: so the tail reads all its inputs first and stores last. Shared lanes agree bit for bit.");
                EmitCellBackwardBody(w, k, (h - k.Lanes).ToString(System.Globalization.CultureInfo.InvariantCulture), store: false, prefix: "tail");
                w.Line();
            }

            if (k.FullGroups == 1)
            {
                w.Line($"// Units 0..{k.Lanes - 1}.");
                using (w.Braces())
                {
                    EmitCellBackwardBody(w, k, "0", store: true, prefix: string.Empty);
                }
            }
            else
            {
                w.Line($"// Units 0..{k.FullGroups * k.Lanes - 1}, {k.Lanes} at a time.");
                w.Line($"for (nuint unit = 0; unit < {k.FullGroups * k.Lanes}; unit += {k.Lanes})");
                using (w.Braces())
                {
                    EmitCellBackwardBody(w, k, "unit", store: true, prefix: string.Empty);
                }
            }

            if (k.HasTailGroup)
            {
                string u = (h - k.Lanes).ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.Line();
                w.Line("// The tail group's results, now that every other group has read its inputs.");
                EmitCellBackwardStores(w, k, u, "tail");
            }
        }
    }

    private static string Plus(string unit, string extra) => unit == "0" ? extra : $"{unit} + {extra}";

    /// <summary>One lane group's (or, with <paramref name="k"/> null, one unit's) cell backward.</summary>
    private static void EmitCellBackwardBody(SourceWriter w, KernelPlan? k, string unit, bool store, string prefix)
    {
        string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name.Substring(1);
        string load = k is null ? string.Empty : $"{VectorClass(k.VectorBits)}.LoadUnsafe";
        string Read(string reference, string offset) => k is null
            ? $"{Unsafe}.Add(ref {reference}, {offset})"
            : $"{load}(ref {reference}, {offset})";
        string one = k is null ? "1f" : $"{VectorClass(k.VectorBits)}.Create(1f)";
        string Fma(string a, string b, string c) => k is null ? $"({a}) * ({b}) + {c}" : $"{Simd}.MultiplyAdd({a}, {b}, {c})";

        w.Line("// The forward activations of this step, recorded in the tape.");
        w.Line($"var {P("i")} = {Read("row", unit)};");
        w.Line($"var {P("f")} = {Read("row", Plus(unit, "HiddenSize"))};");
        w.Line($"var {P("g")} = {Read("row", Plus(unit, "2 * HiddenSize"))};");
        w.Line($"var {P("o")} = {Read("row", Plus(unit, "3 * HiddenSize"))};");
        w.Line($"var {P("tanhC")} = {Read("row", Plus(unit, "5 * HiddenSize"))};");
        w.Line($"var {P("previousC")} = {Read("previousRow", Plus(unit, "4 * HiddenSize"))};");
        w.Line($"var {P("one")} = {one};");
        w.Line("// dh = ∂L/∂h_t: from this step's output and from step t+1");
        w.Line($"var {P("dh")} = {Read("outputGradient", unit)} + {Read("hiddenGradient", unit)};");
        w.Line("// dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))");
        w.Line($"var {P("dc")} = {Fma($"{P("dh")} * {P("o")}", $"{P("one")} - {P("tanhC")} * {P("tanhC")}", Read("cellGradient", unit))};");
        w.Line("// Through the activations (σ' = σ(1 − σ), tanh' = 1 − tanh²):");
        w.Line("// dz_i = dc ⊙ g ⊙ i(1 − i), dz_f = dc ⊙ c_{t-1} ⊙ f(1 − f), dz_g = dc ⊙ i ⊙ (1 − g²), dz_o = dh ⊙ tanh(c) ⊙ o(1 − o)");
        w.Line($"var {P("dzi")} = {P("dc")} * {P("g")} * {P("i")} * ({P("one")} - {P("i")});");
        w.Line($"var {P("dzf")} = {P("dc")} * {P("previousC")} * {P("f")} * ({P("one")} - {P("f")});");
        w.Line($"var {P("dzg")} = {P("dc")} * {P("i")} * ({P("one")} - {P("g")} * {P("g")});");
        w.Line($"var {P("dzo")} = {P("dh")} * {P("tanhC")} * {P("o")} * ({P("one")} - {P("o")});");
        w.Line("// dc_{t-1} = dc ⊙ f");
        w.Line($"var {P("previousDc")} = {P("dc")} * {P("f")};");
        if (store)
        {
            EmitCellBackwardStores(w, k, unit, prefix);
        }
    }

    private static void EmitCellBackwardStores(SourceWriter w, KernelPlan? k, string unit, string prefix)
    {
        string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name.Substring(1);
        void Write(string value, string reference, string offset)
        {
            w.Line(k is null
                ? $"{Unsafe}.Add(ref {reference}, {offset}) = {value};"
                : $"{VectorClass(k.VectorBits)}.StoreUnsafe({value}, ref {reference}, {offset});");
        }

        Write(P("dzi"), "row", unit);
        Write(P("dzf"), "row", Plus(unit, "HiddenSize"));
        Write(P("dzg"), "row", Plus(unit, "2 * HiddenSize"));
        Write(P("dzo"), "row", Plus(unit, "3 * HiddenSize"));
        Write(P("previousDc"), "cellGradient", unit);
    }

    private static void EmitScalarDots(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>∂L/∂x_t = W_ihᵀ·dz and ∂L/∂h_{t-1} = W_hhᵀ·dz, in scalar code: one dot product per row of the transposed weights.</summary>");
        EmitMethodAttributes(w, plan);
        w.Line("public static void TransposedProductsScalar(ref float weights, ref float dz, ref float inputGradient, ref float hiddenGradient)");
        using (w.Braces())
        {
            w.Line("ref float row = ref weights;");
            foreach ((string count, string target, string name) in new[] { ("InputSize", "inputGradient", "k"), ("HiddenSize", "hiddenGradient", "j") })
            {
                w.Line($"for (nuint {name} = 0; {name} < {count}; {name}++)");
                using (w.Braces())
                {
                    w.Line("float sum = 0;");
                    w.Line("for (nuint r = 0; r < GateCount; r++)");
                    using (w.Braces())
                    {
                        w.Line($"sum += {Unsafe}.Add(ref row, r) * {Unsafe}.Add(ref dz, r);");
                    }

                    w.Line($"{Unsafe}.Add(ref {target}, {name}) = sum;");
                    w.Line($"row = ref {Unsafe}.Add(ref row, (nuint)GateCount);");
                }
            }
        }
    }

    private static void EmitScalarGemm(SourceWriter w, LstmPlan plan)
    {
        w.Line("/// <summary>");
        w.Line("/// Parameter gradients in scalar code: ∂L/∂W_ihᵀ[k] += Σ_t x_t[k]·dz_t, ∂L/∂W_hhᵀ[j] += Σ_t h_{t-1}[j]·dz_t, ∂L/∂b += Σ_t dz_t.");
        w.Line("/// Each element's sum over the steps is formed from zero, then added to the accumulated gradient.");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line("public static void AccumulateParameterGradientsScalar(ref float gradients, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            w.Line($"ref float firstDz = ref {Unsafe}.Add(ref tape, TapeHeaderLength + TapeStride);");
            w.Line("ref float gradient = ref gradients;");
            foreach ((string count, string name) in new[] { ("InputSize", "k"), ("HiddenSize", "j") })
            {
                w.Line(name == "k"
                    ? "// Rows of ∂L/∂W_ihᵀ: row k is scaled by x_t[k]."
                    : "// Rows of ∂L/∂W_hhᵀ: row j is scaled by h_{t-1}[j], from the previous tape row (row -1 holds h_0).");
                w.Line($"for (nuint {name} = 0; {name} < {count}; {name}++)");
                using (w.Braces())
                {
                    w.Line("for (nuint r = 0; r < GateCount; r++)");
                    using (w.Braces())
                    {
                        w.Line("float sum = 0;");
                        w.Line("ref float dz = ref firstDz;");
                        w.Line("for (int t = 0; t < steps; t++)");
                        using (w.Braces())
                        {
                            w.Line(name == "k"
                                ? $"float scale = {Unsafe}.Add(ref input, (nuint)(t * InputSize) + k);"
                                : $"float scale = {Unsafe}.Add(ref {Unsafe}.Subtract(ref dz, TapeStride), 6 * HiddenSize + j);");
                            w.Line($"sum += scale * {Unsafe}.Add(ref dz, r);");
                            w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                        }

                        w.Line($"{Unsafe}.Add(ref gradient, r) += sum;");
                    }

                    w.Line($"gradient = ref {Unsafe}.Add(ref gradient, (nuint)GateCount);");
                }
            }

            w.Line("// Both bias vectors receive Σ_t dz_t: they enter every gate pre-activation the same way.");
            w.Line($"ref float biasHh = ref {Unsafe}.Add(ref gradient, (nuint)GateCount);");
            w.Line("for (nuint r = 0; r < GateCount; r++)");
            using (w.Braces())
            {
                w.Line("float sum = 0;");
                w.Line("ref float dz = ref firstDz;");
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line($"sum += {Unsafe}.Add(ref dz, r);");
                    w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                }

                w.Line($"{Unsafe}.Add(ref gradient, r) += sum;");
                w.Line($"{Unsafe}.Add(ref biasHh, r) += sum;");
            }
        }
    }

    /// <summary>Column vectors of a chunk: their offsets as C# source, either constants or <c>column + constant</c>.</summary>
    private static List<List<Group>> ColumnChunks(ColumnPlan c, out int loopChunks, out int perChunk)
    {
        perChunk = c.VectorsPerChunk;
        int chunkCount = (c.FullVectors + perChunk - 1) / perChunk;
        perChunk = (c.FullVectors + chunkCount - 1) / chunkCount;
        loopChunks = c.FullVectors / perChunk;
        int remaining = c.FullVectors - loopChunks * perChunk;
        var chunks = new List<List<Group>>();
        int pc = perChunk;
        if (loopChunks == 1)
        {
            chunks.Add(Enumerable.Range(0, pc).Select(v => new Group(null, v * c.Lanes, false)).ToList());
        }
        else if (loopChunks > 1)
        {
            chunks.Add(Enumerable.Range(0, pc).Select(v => new Group("column", v * c.Lanes, false)).ToList());
        }

        if (remaining > 0)
        {
            int start = loopChunks * pc * c.Lanes;
            chunks.Add(Enumerable.Range(0, remaining).Select(v => new Group(null, start + v * c.Lanes, false)).ToList());
        }

        return chunks;
    }

    private static void EmitVectorDots(SourceWriter w, LstmPlan plan, ColumnPlan c)
    {
        int lanes = c.Lanes;
        w.Line("/// <summary>");
        w.Line($"/// ∂L/∂h_{{t-1}} = W_hhᵀ·dz with {lanes}-float vectors: one dot product of dz ({c.GateCount} floats) with each contiguous row of");
        w.Line($"/// W_hhᵀ. Rows go {lanes} at a time, each with its own accumulator, so every loaded dz vector serves {lanes} rows, and the");
        w.Line($"/// {lanes} sums come out of one shuffle tree (Simd.SumEach). <paramref name=\"reverse\"/> takes the blocks of rows last first: the");
        w.Line("/// backward loop alternates it, so each step starts with the rows the previous one left in the L1 cache.");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void HiddenGradient{c.Suffix}(ref float weights, ref float dz, ref float hiddenGradient, bool reverse)");
        using (w.Braces())
        {
            EmitDzTail(w, c, "dz");
            w.Line($"ref float hh = ref {Unsafe}.Add(ref weights, (nuint)WeightHhOffset);");
            int blocks = plan.HiddenSize / lanes;
            int leftover = plan.HiddenSize - blocks * lanes;
            if (blocks > 0)
            {
                w.Line($"for (nuint b = 0; b < {blocks}; b++)");
                using (w.Braces())
                {
                    w.Line($"nuint r = (reverse ? {blocks - 1} - b : b) * {lanes};");
                    w.Line($"ref float row = ref {Unsafe}.Add(ref hh, r * GateCount);");
                    EmitDotBlock(w, c, lanes, "dz", $"ref hiddenGradient, r");
                }
            }

            if (leftover > 0)
            {
                w.Line($"// The last {leftover} row(s), one at a time.");
                w.Line($"for (nuint r = {blocks * lanes}; r < HiddenSize; r++)");
                using (w.Braces())
                {
                    w.Line($"ref float row = ref {Unsafe}.Add(ref hh, r * GateCount);");
                    EmitDotBlock(w, c, 1, "dz", "ref hiddenGradient, r");
                }
            }
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// ∂L/∂x_t = W_ihᵀ·dz_t for every step, after the time loop (nothing in the recurrence needs it): each block of");
        w.Line($"/// {lanes} rows of W_ihᵀ stays in the L1 cache while every step's dz streams past.");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void InputGradients{c.Suffix}(ref float weights, ref float tape, int steps, ref float inputGradient)");
        using (w.Braces())
        {
            int blocks = plan.InputSize / lanes;
            int leftover = plan.InputSize - blocks * lanes;
            w.Line($"ref float firstDz = ref {Unsafe}.Add(ref tape, TapeHeaderLength + TapeStride);");
            foreach ((int rows, string? loop) in new (int, string?)[]
            {
                (lanes, blocks > 0 ? $"for (nuint r = 0; r < {blocks * lanes}; r += {lanes})" : null),
                (1, leftover > 0 ? $"for (nuint r = {blocks * lanes}; r < InputSize; r++)" : null),
            })
            {
                if (loop is null)
                {
                    continue;
                }

                w.Line(loop);
                using (w.Braces())
                {
                    w.Line($"ref float row = ref {Unsafe}.Add(ref weights, r * GateCount);");
                    w.Line("ref float dz = ref firstDz;");
                    w.Line("for (int t = 0; t < steps; t++)");
                    using (w.Braces())
                    {
                        EmitDzTail(w, c, "dz");
                        EmitDotBlock(w, c, rows, "dz", "ref inputGradient, (nuint)(t * InputSize) + r");
                        w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                    }
                }
            }
        }
    }

    private static void EmitDzTail(SourceWriter w, ColumnPlan c, string dz)
    {
        if (c.HasTail)
        {
            w.Line($"// The last vector ends at column {c.GateCount} and overlaps the previous one: only its last {c.TailNewLanes} lanes count.");
            w.Line($"var dzTail = {VectorClass(c.VectorBits)}.LoadUnsafe(ref {dz}, {c.TailOffset}) & {Simd}.LanesFrom{c.VectorBits}({c.Lanes - c.TailNewLanes});");
        }
    }

    /// <summary>Dot products of <paramref name="rows"/> consecutive rows (from <c>row</c>) with dz, stored at <paramref name="target"/>.</summary>
    private static void EmitDotBlock(SourceWriter w, ColumnPlan c, int rows, string dz, string target)
    {
        string vector = VectorClass(c.VectorBits);
        string load = $"{vector}.LoadUnsafe";
        for (int k = 0; k < rows; k++)
        {
            w.Line($"var sum{k} = {vector}<float>.Zero;");
        }

        w.Line($"for (nuint column = 0; column < {c.FullVectors * c.Lanes}; column += {c.Lanes})");
        using (w.Braces())
        {
            w.Line($"var d = {load}(ref {dz}, column);");
            for (int k = 0; k < rows; k++)
            {
                string offset = k == 0 ? "column" : $"{k} * GateCount + column";
                w.Line($"sum{k} = {Simd}.MultiplyAdd({load}(ref row, {offset}), d, sum{k});");
            }
        }

        if (c.HasTail)
        {
            for (int k = 0; k < rows; k++)
            {
                w.Line($"sum{k} = {Simd}.MultiplyAdd({load}(ref row, {(k == 0 ? string.Empty : $"{k} * GateCount + ")}{c.TailOffset}), dzTail, sum{k});");
            }
        }

        if (rows == 1)
        {
            string[] parts = target.Split(new[] { ", " }, 2, System.StringSplitOptions.None);
            w.Line($"{Unsafe}.Add({parts[0]}, {parts[1]}) = {Simd}.Sum(sum0);");
        }
        else
        {
            w.Line($"{vector}.StoreUnsafe({Simd}.SumEach({string.Join(", ", Enumerable.Range(0, rows).Select(k => $"sum{k}"))}), {target});");
        }
    }

    private static void EmitVectorGemm(SourceWriter w, LstmPlan plan, ColumnPlan c)
    {
        string vector = VectorClass(c.VectorBits);
        string zero = $"{vector}<float>.Zero";
        List<List<Group>> chunks = ColumnChunks(c, out int loopChunks, out int perChunk);
        int rowsPerBlock = c.ProjectionSteps; // the same register budget: 4 rows × 4 vectors, or 2 × 3
        int vectorsPerBlock = c.ProjectionVectors;
        w.Line("/// <summary>");
        w.Line($"/// Parameter gradients with {c.Lanes}-float vectors, after the time loop: ∂L/∂W_ihᵀ[k] += Σ_t x_t[k]·dz_t,");
        w.Line("/// ∂L/∂W_hhᵀ[j] += Σ_t h_{t-1}[j]·dz_t, ∂L/∂b_ih = ∂L/∂b_hh += Σ_t dz_t. Register blocks of");
        w.Line($"/// {rowsPerBlock} gradient rows × {vectorsPerBlock} column vectors: every dz vector loaded serves {rowsPerBlock} rows, every");
        w.Line($"/// broadcast scale {vectorsPerBlock} vectors (the kernel is bound by loads, not by multiply-adds). Each block's sum over the");
        w.Line("/// steps starts from zero and is added to the accumulated gradient once, so two identical calls add exactly the same.");
        w.Line("/// </summary>");
        EmitMethodAttributes(w, plan);
        w.Line($"public static void AccumulateParameterGradients{c.Suffix}(ref float gradients, ref float input, int steps, ref float tape)");
        using (w.Braces())
        {
            if (c.HasTail)
            {
                w.Line($"// The last vector ends at column {c.GateCount} and overlaps the previous one: only its last {c.TailNewLanes} lanes are added.");
                w.Line($"var tailMask = {Simd}.LanesFrom{c.VectorBits}({c.Lanes - c.TailNewLanes});");
            }

            w.Line($"ref float firstDz = ref {Unsafe}.Add(ref tape, TapeHeaderLength + TapeStride);");
            foreach ((string count, string rowBase, string scale, string comment) in new[]
            {
                ("InputSize", "0", $"{Unsafe}.Add(ref input, (nuint)(t * InputSize) + row)", "Rows of ∂L/∂W_ihᵀ: row k is scaled by x_t[k]."),
                ("HiddenSize", "InputSize", $"{Unsafe}.Add(ref {Unsafe}.Subtract(ref dz, TapeStride), 6 * HiddenSize + row)",
                    "Rows of ∂L/∂W_hhᵀ: row j is scaled by h_{t-1}[j], from the previous tape row (row -1 holds h_0)."),
            })
            {
                w.Line();
                w.Line($"// {comment}");
                using (w.Braces())
                {
                    w.Line("nuint r = 0;");
                    foreach (int rows in rowsPerBlock > 1 ? new[] { rowsPerBlock, 1 } : new[] { 1 })
                    {
                        w.Line(rows > 1
                            ? $"for (; r + {rows} <= {count}; r += {rows})"
                            : $"for (; r < {count}; r++)");
                        using (w.Braces())
                        {
                            w.Line($"ref float gradient = ref {Unsafe}.Add(ref gradients, (nuint)(({rowBase} + (int)r) * GateCount));");
                            EmitGemmBlocks(w, c, rows, vectorsPerBlock, scale);
                        }
                    }
                }
            }

            w.Line();
            w.Line("// Both bias vectors receive Σ_t dz_t: they enter every gate pre-activation the same way.");
            using (w.Braces())
            {
                w.Line($"ref float gradient = ref {Unsafe}.Add(ref gradients, (nuint)BiasIhOffset);");
                w.Line($"ref float biasHh = ref {Unsafe}.Add(ref gradients, (nuint)BiasHhOffset);");
                EmitGemmRow(w, c, chunks, loopChunks, perChunk, $"{vector}.LoadUnsafe", $"{vector}.Create", zero, scaleSource: null, bias: true);
            }
        }
    }

    /// <summary>
    /// One block of gradient rows (<paramref name="rows"/> of them, starting at <c>gradient</c>, row index <c>r</c>):
    /// column blocks of <paramref name="vectorsPerBlock"/> vectors, the remaining vectors, then the overlapping tail.
    /// </summary>
    private static void EmitGemmBlocks(SourceWriter w, ColumnPlan c, int rows, int vectorsPerBlock, string scale)
    {
        string vector = VectorClass(c.VectorBits);
        string load = $"{vector}.LoadUnsafe";
        int fullBlocks = c.FullVectors / vectorsPerBlock;
        int rest = c.FullVectors - fullBlocks * vectorsPerBlock;
        var blocks = new List<(string Column, int Vectors, bool Tail)>();
        if (fullBlocks > 0)
        {
            blocks.Add(("column", vectorsPerBlock, false));
        }

        if (rest > 0)
        {
            blocks.Add(((fullBlocks * vectorsPerBlock * c.Lanes).ToString(System.Globalization.CultureInfo.InvariantCulture), rest, false));
        }

        if (c.HasTail)
        {
            blocks.Add((c.TailOffset.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, true));
        }

        foreach ((string column, int vectors, bool tail) in blocks)
        {
            string Off(int v) => column == "0" ? $"{v * c.Lanes}" : v == 0 ? column : $"{column} + {v * c.Lanes}";
            if (column == "column")
            {
                w.Line($"for (nuint column = 0; column < {fullBlocks * vectorsPerBlock * c.Lanes}; column += {vectorsPerBlock * c.Lanes})");
            }
            else if (tail)
            {
                w.Line("// The overlapping last vector: only its new lanes are added.");
            }

            using (w.Braces())
            {
                w.Line($"// sum{{row}}{{vector}}: Σ_t scale_t(row) · dz_t over {vectors} vector(s) of {rows} row(s).");
                for (int i = 0; i < rows; i++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"var sum{i}{v} = {vector}<float>.Zero;");
                    }
                }

                w.Line("ref float dz = ref firstDz;");
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"var d{v} = {load}(ref dz, {Off(v)});");
                    }

                    for (int i = 0; i < rows; i++)
                    {
                        string rowExpr = i == 0 ? "r" : $"r + {i}";
                        w.Line($"var u{i} = {vector}.Create({scale.Replace("row", rowExpr)});");
                        for (int v = 0; v < vectors; v++)
                        {
                            w.Line($"sum{i}{v} = {Simd}.MultiplyAdd(d{v}, u{i}, sum{i}{v});");
                        }
                    }

                    w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                }

                for (int i = 0; i < rows; i++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        string offset = i == 0 ? Off(v) : $"{i} * GateCount + {Off(v)}";
                        string sum = tail ? $"(sum{i}{v} & tailMask)" : $"sum{i}{v}";
                        w.Line($"{vector}.StoreUnsafe({load}(ref gradient, {offset}) + {sum}, ref gradient, {offset});");
                    }
                }
            }
        }
    }

    private static void EmitGemmRow(SourceWriter w, ColumnPlan c, List<List<Group>> chunks, int loopChunks, int perChunk,
        string load, string broadcast, string zero, string? scaleSource, bool bias)
    {
        foreach (List<Group> chunk in chunks)
        {
            bool loop = chunk[0].Variable is not null;
            if (loop)
            {
                w.Line($"for (nuint column = 0; column < {loopChunks * perChunk * c.Lanes}; column += {perChunk * c.Lanes})");
            }

            using (w.Braces())
            {
                // This call's gradient is summed from zero and added to the accumulated one at the end, so two
                // identical calls add exactly the same amount (and small steps are not rounded against a large total).
                for (int v = 0; v < chunk.Count; v++)
                {
                    w.Line($"var sum{v} = {zero};");
                }

                w.Line("ref float dz = ref firstDz;");
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    if (!bias)
                    {
                        w.Line($"var scale = {broadcast}({scaleSource});");
                    }

                    for (int v = 0; v < chunk.Count; v++)
                    {
                        w.Line(bias
                            ? $"sum{v} += {load}(ref dz, {chunk[v].Offset(0)});"
                            : $"sum{v} = {Simd}.MultiplyAdd({load}(ref dz, {chunk[v].Offset(0)}), scale, sum{v});");
                    }

                    w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                }

                for (int v = 0; v < chunk.Count; v++)
                {
                    if (bias)
                    {
                        w.Line($"{VectorClass(c.VectorBits)}.StoreUnsafe({load}(ref gradient, {chunk[v].Offset(0)}) + sum{v}, ref gradient, {chunk[v].Offset(0)});");
                        w.Line($"{VectorClass(c.VectorBits)}.StoreUnsafe({load}(ref biasHh, {chunk[v].Offset(0)}) + sum{v}, ref biasHh, {chunk[v].Offset(0)});");
                    }
                    else
                    {
                        w.Line($"{VectorClass(c.VectorBits)}.StoreUnsafe({load}(ref gradient, {chunk[v].Offset(0)}) + sum{v}, ref gradient, {chunk[v].Offset(0)});");
                    }
                }
            }
        }

        if (c.HasTail)
        {
            w.Line("// The overlapping last vector: summed from zero, then added only on its new lanes.");
            using (w.Braces())
            {
                w.Line($"var sum = {zero};");
                w.Line("ref float dz = ref firstDz;");
                w.Line("for (int t = 0; t < steps; t++)");
                using (w.Braces())
                {
                    w.Line(bias
                        ? $"sum += {load}(ref dz, {c.TailOffset});"
                        : $"sum = {Simd}.MultiplyAdd({load}(ref dz, {c.TailOffset}), {broadcast}({scaleSource}), sum);");
                    w.Line($"dz = ref {Unsafe}.Add(ref dz, TapeStride);");
                }

                w.Line("sum &= tailMask;");
                w.Line($"{VectorClass(c.VectorBits)}.StoreUnsafe({load}(ref gradient, {c.TailOffset}) + sum, ref gradient, {c.TailOffset});");
                if (bias)
                {
                    w.Line($"{VectorClass(c.VectorBits)}.StoreUnsafe({load}(ref biasHh, {c.TailOffset}) + sum, ref biasHh, {c.TailOffset});");
                }
            }
        }
    }
}
