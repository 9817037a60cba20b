#!/usr/bin/python3
"""Writes the ONNX models and weights the benchmarks load. Run with Debian's PyTorch and onnx
(apt-get install python3-torch python3-onnx) from this folder: /usr/bin/python3 make_models.py

For each benchmark shape and cell it draws a PyTorch nn.LSTM or nn.GRU (default init, fixed seed), saves its
weights in PyTorch layout (<cell>_I*_H*.weights.bin, loaded by every C# contestant) and exports the same module
to ONNX (<cell>_I*_H*.onnx: one LSTM or GRU operator, batch 1, dynamic sequence length) for the ONNX Runtime
contestant. PyTorch's GRU exports as an ONNX GRU with linear_before_reset = 1, which is PyTorch's semantics
(b_hn inside the product with r). The models are committed; benchmarks never run Python.

weights.bin, little-endian: char[4] "LGW1", int32 gates (4 = LSTM i,f,g,o; 3 = GRU r,z,n), int32 I, int32 H,
then float32 weight_ih_l0 [G*H, I], weight_hh_l0 [G*H, H], bias_ih_l0 [G*H], bias_hh_l0 [G*H], row-major.
"""
import struct

import onnx
import torch

LSTM_SHAPES = [(1, 8), (1, 40), (16, 64), (64, 128), (32, 256)]
GRU_SHAPES = [(16, 64), (64, 128)]


class LstmWrapper(torch.nn.Module):
    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x, h0, c0):
        y, (h, c) = self.lstm(x, (h0, c0))
        return y, h, c


class GruWrapper(torch.nn.Module):
    def __init__(self, gru):
        super().__init__()
        self.gru = gru

    def forward(self, x, h0):
        y, h = self.gru(x, h0)
        return y, h


def write_weights(path, gates, module):
    with open(path, "wb") as f:
        f.write(b"LGW1")
        f.write(struct.pack("<3i", gates, module.input_size, module.hidden_size))
        for p in (module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0, module.bias_hh_l0):
            values = p.detach().to(torch.float32).flatten().tolist()
            f.write(struct.pack("<%df" % len(values), *values))


def export(name, wrapper, args, input_names, output_names):
    torch.onnx.export(
        wrapper.eval(), args, name + ".onnx",
        input_names=input_names, output_names=output_names,
        dynamic_axes={"x": {0: "steps"}, "y": {0: "steps"}}, opset_version=14)
    model = onnx.load(name + ".onnx")
    onnx.checker.check_model(model)
    print("wrote", name, [(n.op_type, [(a.name, a.i) for a in n.attribute if a.name == "linear_before_reset"])
                          for n in model.graph.node if n.op_type in ("LSTM", "GRU")])


def main():
    for input_size, hidden_size in LSTM_SHAPES:
        torch.manual_seed(100 * input_size + hidden_size)
        lstm = torch.nn.LSTM(input_size, hidden_size)
        name = "lstm_I%d_H%d" % (input_size, hidden_size)
        write_weights(name + ".weights.bin", 4, lstm)
        x = torch.zeros(32, 1, input_size)
        h0 = torch.zeros(1, 1, hidden_size)
        c0 = torch.zeros(1, 1, hidden_size)
        export(name, LstmWrapper(lstm), (x, h0, c0), ["x", "h0", "c0"], ["y", "h", "c"])

    for input_size, hidden_size in GRU_SHAPES:
        torch.manual_seed(100 * input_size + hidden_size + 7)
        gru = torch.nn.GRU(input_size, hidden_size)
        name = "gru_I%d_H%d" % (input_size, hidden_size)
        write_weights(name + ".weights.bin", 3, gru)
        x = torch.zeros(32, 1, input_size)
        h0 = torch.zeros(1, 1, hidden_size)
        export(name, GruWrapper(gru), (x, h0), ["x", "h0"], ["y", "h"])


if __name__ == "__main__":
    main()
