using System;
using System.Collections.Generic;
using LstmGen.Generator.Model;

namespace LstmGen.Generator.Planning;

/// <summary>The plan of one <c>[RecurrentModel]</c> type: the network read from its file and the kernels of its recurrent layers.</summary>
/// <param name="Type">Where the type lives.</param>
/// <param name="FilePath">The path as the attribute gives it.</param>
/// <param name="Network">The network.</param>
/// <param name="Layers">One kernel plan per recurrent stage, in stage order.</param>
internal sealed record ModelTypePlan(TypeShape Type, string FilePath, NetworkSpec Network, EquatableArray<LayerPlan> Layers)
{
    /// <summary>Floats of state: every recurrent layer's h (and c), in stage order.</summary>
    public int StateLength
    {
        get
        {
            int length = 0;
            foreach (NetworkStage stage in Network.Stages)
            {
                length += stage.Recurrent?.StateLength ?? 0;
            }

            return length;
        }
    }

    /// <summary>Trainable values in the file: recurrent weights and biases plus dense weights and biases.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            int layer = 0;
            foreach (NetworkStage stage in Network.Stages)
            {
                count += stage.Recurrent is not null ? Layers[layer++].Layout.ParameterCount : (long)stage.Dense!.InputSize * stage.Dense.OutputSize + stage.Dense.OutputSize;
            }

            return count;
        }
    }

    /// <summary>
    /// Where each stage's parameters start in the model's buffer: recurrent layers in their panel layout, dense layers as
    /// W [out, in] then b; every stage starts on a 16-float (64-byte) boundary.
    /// </summary>
    public int[] StageOffsets(out int total)
    {
        var offsets = new int[Network.Stages.Count];
        int position = 0, layer = 0;
        for (int s = 0; s < Network.Stages.Count; s++)
        {
            offsets[s] = position;
            NetworkStage stage = Network.Stages[s];
            int size = stage.Recurrent is not null ? Layers[layer++].Layout.ParameterCount : stage.Dense!.InputSize * stage.Dense.OutputSize + stage.Dense.OutputSize;
            position += (size + 15) / 16 * 16;
        }

        total = Math.Max(position, 1);
        return offsets;
    }

    /// <summary>Where each recurrent stage's state (h, then c) starts; -1 for dense stages.</summary>
    public int[] StateOffsets()
    {
        var offsets = new int[Network.Stages.Count];
        int position = 0;
        for (int s = 0; s < Network.Stages.Count; s++)
        {
            offsets[s] = Network.Stages[s].Recurrent is { } r ? position : -1;
            position += Network.Stages[s].Recurrent?.StateLength ?? 0;
        }

        return offsets;
    }
}

/// <summary>Packs PyTorch tensors into a layer's panel layout (the generator-side twin of the runtime's <c>PackedLayout.Import</c>).</summary>
internal static class WeightPacker
{
    public static float[] Pack(PanelLayout layout, IReadOnlyList<float> weightIh, IReadOnlyList<float> weightHh, IReadOnlyList<float> biasIh, IReadOnlyList<float> biasHh)
    {
        var parameters = new float[layout.ParameterCount];
        int h = layout.HiddenSize, i = layout.InputSize;
        for (int gate = 0; gate < layout.Gates; gate++)
        {
            for (int unit = 0; unit < h; unit++)
            {
                int row = gate * h + unit;
                int panel = layout.PanelOf(unit);
                int inPanel = layout.ColumnInPanel(gate, unit);
                int width = layout.PanelWidth(panel);
                int start = layout.PanelStart(panel);
                for (int k = 0; k < i; k++)
                {
                    parameters[start + k * width + inPanel] = weightIh[row * i + k];
                }

                for (int j = 0; j < h; j++)
                {
                    parameters[start + (i + j) * width + inPanel] = weightHh[row * h + j];
                }

                int column = layout.Column(gate, unit);
                parameters[layout.BiasIhOffset + column] = biasIh[row];
                parameters[layout.BiasHhOffset + column] = biasHh[row];
            }
        }

        return parameters;
    }
}
