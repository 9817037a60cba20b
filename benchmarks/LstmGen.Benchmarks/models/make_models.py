#!/usr/bin/python3
"""Writes the ONNX models and weights the benchmarks load. Run with Debian's PyTorch and onnx
(apt-get install python3-torch python3-onnx) from this folder: /usr/bin/python3 make_models.py

For each benchmark shape it draws a PyTorch nn.LSTM (default init, fixed seed), saves its weights in PyTorch
layout (lstm_I*_H*.weights.json, loaded by every C# contestant) and exports the same module to ONNX
(lstm_I*_H*.onnx: one LSTM operator, batch 1, dynamic sequence length) for the ONNX Runtime contestant.
The models are committed; benchmarks never run Python.
"""
import json
import onnx
import torch

SHAPES = [(1, 8), (16, 64), (64, 128)]


class Wrapper(torch.nn.Module):
    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x, h0, c0):
        y, (h, c) = self.lstm(x, (h0, c0))
        return y, h, c


def main():
    for input_size, hidden_size in SHAPES:
        torch.manual_seed(100 * input_size + hidden_size)
        lstm = torch.nn.LSTM(input_size, hidden_size)
        name = "lstm_I%d_H%d" % (input_size, hidden_size)
        weights = {k: [float("%.9g" % v) for v in p.detach().flatten().tolist()] for k, p in {
            "weight_ih": lstm.weight_ih_l0, "weight_hh": lstm.weight_hh_l0,
            "bias_ih": lstm.bias_ih_l0, "bias_hh": lstm.bias_hh_l0}.items()}
        weights.update(input_size=input_size, hidden_size=hidden_size)
        with open(name + ".weights.json", "w") as f:
            json.dump(weights, f, separators=(",", ":"))
            f.write("\n")

        x = torch.zeros(32, 1, input_size)
        h0 = torch.zeros(1, 1, hidden_size)
        c0 = torch.zeros(1, 1, hidden_size)
        torch.onnx.export(
            Wrapper(lstm).eval(), (x, h0, c0), name + ".onnx",
            input_names=["x", "h0", "c0"], output_names=["y", "h", "c"],
            dynamic_axes={"x": {0: "steps"}, "y": {0: "steps"}}, opset_version=14)
        model = onnx.load(name + ".onnx")
        onnx.checker.check_model(model)
        print("wrote", name, [n.op_type for n in model.graph.node])


if __name__ == "__main__":
    main()
