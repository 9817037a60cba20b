using System.Linq;
using LstmGen.Generator.Planning;

namespace LstmGen.Generator.Emit.Kernels;

/// <summary>
/// Prints the kernel class of one layer shape (cell, input size, hidden size): one file per shape in a compilation,
/// shared by every <c>[Lstm]</c>/<c>[Gru]</c> type and model-file layer of that shape.
/// </summary>
internal static class KernelFileEmitter
{
    public static string HintName(LayerPlan plan) => $"LstmGen.Generated.{plan.KernelClassName}.g.cs";

    public static string Emit(LayerPlan plan)
    {
        var w = new SourceWriter();
        var ctx = new KernelContext(w, plan);
        PanelLayout l = plan.Layout;
        TypeFile.Header(w, $"LstmGen: the kernels of every {plan.Descriptor.DisplayName} layer with InputSize = {l.InputSize} and HiddenSize = {l.HiddenSize} in this compilation.");
        w.Line("namespace LstmGen.Generated");
        using (w.Braces())
        {
            foreach (string alias in VectorSyntax.FileAliases)
            {
                w.Line(alias);
            }

            w.Line("using MethodImpl = global::System.Runtime.CompilerServices.MethodImplAttribute;");
            w.Line("using MethodImplOptions = global::System.Runtime.CompilerServices.MethodImplOptions;");
            if (plan.SkipLocalsInit)
            {
                w.Line("using SkipLocalsInit = global::System.Runtime.CompilerServices.SkipLocalsInitAttribute;");
            }

            w.Line();
            w.Line("/// <summary>");
            w.Line($"/// {plan.Descriptor.DisplayName} kernels for <c>InputSize = {l.InputSize}</c>, <c>HiddenSize = {l.HiddenSize}</c>: sizes are constants, loops have constant");
            w.Line("/// bounds, refs replace bounds checks (the public members validate every span first). Weights are in the panel layout");
            w.Line($"/// described on the generated types: groups of {l.Atom} units, {l.GroupsPerPanel} groups per panel, W_ih then W_hh rows per panel, then both biases.");
            w.Line("/// </summary>");
            w.Line(TypeFile.GeneratedCodeAttribute);
            w.Line($"internal static class {plan.KernelClassName}");
            using (w.Braces())
            {
                w.Line($"public const int InputSize = {l.InputSize};");
                w.Line($"public const int HiddenSize = {l.HiddenSize};");
                w.Line($"// {plan.Descriptor.GateCount}·HiddenSize gate pre-activations per step: the packed columns.");
                w.Line($"public const int Columns = {l.ColumnCount};");
                w.Line($"public const int BiasIhOffset = {l.BiasIhOffset};");
                w.Line($"public const int BiasHhOffset = {l.BiasHhOffset};");
                w.Line($"public const int TapeHeaderLength = {TapeGeometry.HeaderLength};");
                w.Line($"public const int TapeStride = {plan.TapeRow.Stride};");
                w.Line("// Tape rows the gradients after the time loop take at a time: their dz stays in L1 while every weight row block uses it.");
                w.Line($"public const int GradientChunkRows = {plan.GradientChunkRows};");
                w.Line();
                if (plan.Paths.Any(p => p.IsScalar))
                {
                    ScalarKernelEmitter.EmitHelpers(ctx);
                }

                SequenceEmitter.EmitEntryPoints(ctx);
                foreach (PathPlan path in plan.Paths.Where(p => p.SharesKernelWith is null))
                {
                    w.Line();
                    w.Line($"// ---- {path.Description} ----");
                    EmitPath(ctx, path);
                }
            }
        }

        return w.ToString();
    }

    private static void EmitPath(KernelContext ctx, PathPlan path)
    {
        SourceWriter w = ctx.W;
        bool gru = !ctx.HasCell;
        if (path.IsScalar)
        {
            w.Line();
            ScalarKernelEmitter.EmitStep(ctx);
            w.Line();
            ScalarKernelEmitter.EmitStepBatch(ctx);
            w.Line();
            SequenceEmitter.EmitCellBackward(ctx, path);
            w.Line();
            ScalarKernelEmitter.EmitHiddenGradient(ctx, accumulate: gru);
            w.Line();
            ScalarKernelEmitter.EmitInputGradients(ctx);
            w.Line();
            ScalarKernelEmitter.EmitParameterGradients(ctx);
        }
        else
        {
            w.Line();
            StepKernelEmitter.Emit(ctx, path, projects: false);
            StepKernelEmitter.EmitCellMethods(ctx, path, record: false);
            StepKernelEmitter.EmitCellMethods(ctx, path, record: true);
            w.Line();
            BatchKernelEmitter.Emit(ctx, path);
            if (ctx.Plan.UsesInputProjection)
            {
                w.Line();
                StepKernelEmitter.EmitProjection(ctx, path);
                w.Line();
                StepKernelEmitter.Emit(ctx, path, projects: true);
            }

            w.Line();
            SequenceEmitter.EmitCellBackward(ctx, path);
            w.Line();
            ColumnKernelEmitter.EmitHiddenGradient(ctx, path, accumulate: gru);
            w.Line();
            ColumnKernelEmitter.EmitInputGradients(ctx, path);
            w.Line();
            ColumnKernelEmitter.EmitParameterGradients(ctx, path);
        }

        w.Line();
        SequenceEmitter.EmitForward(ctx, path);
        w.Line();
        SequenceEmitter.EmitRecordSequence(ctx, path);
        w.Line();
        SequenceEmitter.EmitBackwardSequence(ctx, path);
        w.Line();
        SequenceEmitter.EmitBatchSequences(ctx, path);
    }
}
