using System;
using System.Collections.Generic;

namespace LstmGen.Tests.GuitarAmp;

// The files GuitarAmpModelWriter saved (tests/fixtures/agam_writer), compiled back in by [RecurrentModel].
[RecurrentModel("../fixtures/agam_writer/agamwriter_lstm_i1_h12_skip1.json")] public partial class Saved_lstm_i1_h12_skip1 { }
[RecurrentModel("../fixtures/agam_writer/agamwriter_gru_i2_h20_skip1.json")] public partial class Saved_gru_i2_h20_skip1 { }
[RecurrentModel("../fixtures/agam_writer/agamwriter_lstm_i3_h5_o3_skip3.json")] public partial class Saved_lstm_i3_h5_o3_skip3 { }
[RecurrentModel("../fixtures/agam_writer/agamwriter_gru_i1_h7_o2_skip1.json")] public partial class Saved_gru_i1_h7_o2_skip1 { }
[RecurrentModel("../fixtures/agam_writer/agamwriter_lstm_i2_h9_skip0.json")] public partial class Saved_lstm_i2_h9_skip0 { }

// The model samples/GuitarAmp trained and samples/GuitarAmp.Player plays.
[RecurrentModel("../../samples/GuitarAmp.Player/Models/amp.json")] public partial class PlayerAmp { }

/// <summary>The compiled <c>[RecurrentModel]</c> of each saved file.</summary>
public static class CompiledSavedModels
{
    public static IReadOnlyDictionary<string, Func<IRecurrentModel>> ByFile { get; } = new Dictionary<string, Func<IRecurrentModel>>(StringComparer.Ordinal)
    {
        ["agamwriter_lstm_i1_h12_skip1.json"] = () => new Saved_lstm_i1_h12_skip1(),
        ["agamwriter_gru_i2_h20_skip1.json"] = () => new Saved_gru_i2_h20_skip1(),
        ["agamwriter_lstm_i3_h5_o3_skip3.json"] = () => new Saved_lstm_i3_h5_o3_skip3(),
        ["agamwriter_gru_i1_h7_o2_skip1.json"] = () => new Saved_gru_i1_h7_o2_skip1(),
        ["agamwriter_lstm_i2_h9_skip0.json"] = () => new Saved_lstm_i2_h9_skip0(),
        ["guitaramp_player_amp.json"] = () => new PlayerAmp(),
    };
}
