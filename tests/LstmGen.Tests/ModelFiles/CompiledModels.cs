using System;
using System.Collections.Generic;
using LstmGen;

namespace LstmGen.Tests.ModelFiles;

// One compiled model per model-file fixture (tests/fixtures/models, written by make_model_fixtures.py).
[RecurrentModel("../fixtures/models/agam_gru_i1_h12_skip1_trained.json")] public partial class Model_agam_gru_i1_h12_skip1_trained { }
[RecurrentModel("../fixtures/models/agam_gru_i2_h20_l3_skip1.json")] public partial class Model_agam_gru_i2_h20_l3_skip1 { }
[RecurrentModel("../fixtures/models/agam_lstm_i1_h3_l2_skip0.json")] public partial class Model_agam_lstm_i1_h3_l2_skip0 { }
[RecurrentModel("../fixtures/models/agam_lstm_i1_h40_skip1_trained.json")] public partial class Model_agam_lstm_i1_h40_skip1_trained { }
[RecurrentModel("../fixtures/models/agam_lstm_i2_h16_skip1_knob_trained.json")] public partial class Model_agam_lstm_i2_h16_skip1_knob_trained { }
[RecurrentModel("../fixtures/models/nam_lstm_h16.nam")] public partial class Model_nam_lstm_h16_nam { }
[RecurrentModel("../fixtures/models/nam_lstm_h24.nam")] public partial class Model_nam_lstm_h24_nam { }
[RecurrentModel("../fixtures/models/nam_lstm_h8_l2.nam")] public partial class Model_nam_lstm_h8_l2_nam { }
[RecurrentModel("../fixtures/models/rtneural_gru12_dense4tanh_dense1sigmoid.json")] public partial class Model_rtneural_gru12_dense4tanh_dense1sigmoid { }
[RecurrentModel("../fixtures/models/rtneural_gru16_dense1linear.json")] public partial class Model_rtneural_gru16_dense1linear { }
[RecurrentModel("../fixtures/models/rtneural_lstm8_dense1.json")] public partial class Model_rtneural_lstm8_dense1 { }
[RecurrentModel("../fixtures/models/rtneural_tddense4relu_lstm6_dense1.json")] public partial class Model_rtneural_tddense4relu_lstm6_dense1 { }
[RecurrentModel("../fixtures/models/statedict_gru_i1_h96_linear_o2.json")] public partial class Model_statedict_gru_i1_h96_linear_o2 { }
[RecurrentModel("../fixtures/models/statedict_lstm_h16_gru_h12_linear4_linear1.json")] public partial class Model_statedict_lstm_h16_gru_h12_linear4_linear1 { }
[RecurrentModel("../fixtures/models/statedict_lstm_i1_h8_l3_linear_o1.json")] public partial class Model_statedict_lstm_i1_h8_l3_linear_o1 { }
[RecurrentModel("../fixtures/models/statedict_lstm_i2_h24_l2_linear_o1.json")] public partial class Model_statedict_lstm_i2_h24_l2_linear_o1 { }
[RecurrentModel("../fixtures/models/statedict_lstm_i2_h40_linear_o1_trained.json")] public partial class Model_statedict_lstm_i2_h40_linear_o1_trained { }

/// <summary>Creates the compiled model of a fixture file.</summary>
public static class CompiledModels
{
    public static readonly IReadOnlyDictionary<string, Func<IRecurrentModel>> ByFile = new Dictionary<string, Func<IRecurrentModel>>(StringComparer.Ordinal)
    {
        ["agam_gru_i1_h12_skip1_trained.json"] = () => new Model_agam_gru_i1_h12_skip1_trained(),
        ["agam_gru_i2_h20_l3_skip1.json"] = () => new Model_agam_gru_i2_h20_l3_skip1(),
        ["agam_lstm_i1_h3_l2_skip0.json"] = () => new Model_agam_lstm_i1_h3_l2_skip0(),
        ["agam_lstm_i1_h40_skip1_trained.json"] = () => new Model_agam_lstm_i1_h40_skip1_trained(),
        ["agam_lstm_i2_h16_skip1_knob_trained.json"] = () => new Model_agam_lstm_i2_h16_skip1_knob_trained(),
        ["nam_lstm_h16.nam"] = () => new Model_nam_lstm_h16_nam(),
        ["nam_lstm_h24.nam"] = () => new Model_nam_lstm_h24_nam(),
        ["nam_lstm_h8_l2.nam"] = () => new Model_nam_lstm_h8_l2_nam(),
        ["rtneural_gru12_dense4tanh_dense1sigmoid.json"] = () => new Model_rtneural_gru12_dense4tanh_dense1sigmoid(),
        ["rtneural_gru16_dense1linear.json"] = () => new Model_rtneural_gru16_dense1linear(),
        ["rtneural_lstm8_dense1.json"] = () => new Model_rtneural_lstm8_dense1(),
        ["rtneural_tddense4relu_lstm6_dense1.json"] = () => new Model_rtneural_tddense4relu_lstm6_dense1(),
        ["statedict_gru_i1_h96_linear_o2.json"] = () => new Model_statedict_gru_i1_h96_linear_o2(),
        ["statedict_lstm_h16_gru_h12_linear4_linear1.json"] = () => new Model_statedict_lstm_h16_gru_h12_linear4_linear1(),
        ["statedict_lstm_i1_h8_l3_linear_o1.json"] = () => new Model_statedict_lstm_i1_h8_l3_linear_o1(),
        ["statedict_lstm_i2_h24_l2_linear_o1.json"] = () => new Model_statedict_lstm_i2_h24_l2_linear_o1(),
        ["statedict_lstm_i2_h40_linear_o1_trained.json"] = () => new Model_statedict_lstm_i2_h40_linear_o1_trained(),
    };
}
