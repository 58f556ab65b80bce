"""ONNX graph builders for the tiny model (see generate.py): the four networks with the
input/output names, ranks and dtypes of real diffusers ONNX exports, at tiny sizes."""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HIDDEN = 32  # text embedding width (768 in SD 1.x, 1024 in SD 2.x)
SEQUENCE = 77
LATENT_CHANNELS = 4
UNET_CHANNELS = 16
TIME_FREQS = 8
TIME_COND_DIM = 256  # LCM's guidance embedding width (time_cond_proj_dim)
SCALING_FACTOR = 0.18215
OPSET = 17
# The UNet's sinusoidal timestep embedding (node outputs), float32 even in fp16 exports.
TIME_EMBEDDING = ('t_col', 't_arg', 't_sin', 't_cos', 't_emb')

F32, F16, I32, I64 = TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.INT32, TensorProto.INT64


def init(name, value):
    return numpy_helper.from_array(np.asarray(value, dtype=np.float32), name)


def const_i64(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def conv(inputs, output, kernel, stride=1, pad=0, transpose=False):
    """Conv/ConvTranspose with every attribute spelled out, as torch's exporter writes them
    (onnxruntime-web's WebGPU Conv kernel fails without explicit dilations)."""
    return helper.make_node('ConvTranspose' if transpose else 'Conv', inputs, [output],
                            dilations=[1, 1], group=1, kernel_shape=[kernel, kernel],
                            pads=[pad] * 4, strides=[stride, stride])


def io(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def save(graph, path, external=None):
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid('', OPSET)], producer_name='synesthete-tiny'
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for stale in ('weights.pb', 'model.onnx_data'):
        if os.path.exists(os.path.join(os.path.dirname(path), stale)):
            os.remove(os.path.join(os.path.dirname(path), stale))
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=external, size_threshold=256)
    else:
        onnx.save_model(model, path)


def float_inputs(name, dtype, shape, nodes, inputs):
    """Declares a float input; fp16 inputs are cast to f32 inside, so every op runs in f32."""
    inputs.append(io(name, dtype, shape))
    if dtype == F32:
        return name
    nodes.append(helper.make_node('Cast', [name], [name + '_f32'], to=F32))
    return name + '_f32'


def float_output(value, name, dtype, shape, nodes, outputs):
    outputs.append(io(name, dtype, shape))
    nodes.append(helper.make_node('Identity' if dtype == F32 else 'Cast', [value], [name],
                                  **({} if dtype == F32 else {'to': dtype})))


def text_encoder(rng, vocab_size, ids_type=I32, out_type=F32):
    nodes, inputs, outputs = [], [io('input_ids', ids_type, ['batch', 'sequence'])], []
    inits = [
        init('token_embedding', rng.normal(0, 1, (vocab_size, HIDDEN))),
        init('position_embedding', rng.normal(0, 0.1, (SEQUENCE, HIDDEN))),
        init('w_mix', rng.normal(0, 1 / np.sqrt(HIDDEN), (HIDDEN, HIDDEN))),
        init('ln_scale', np.ones(HIDDEN)),
        init('ln_bias', np.zeros(HIDDEN)),
    ]
    nodes += [
        helper.make_node('Gather', ['token_embedding', 'input_ids'], ['tokens']),
        helper.make_node('Add', ['tokens', 'position_embedding'], ['x']),
        helper.make_node('MatMul', ['x', 'w_mix'], ['mixed']),
        helper.make_node('Tanh', ['mixed'], ['act']),
        helper.make_node('Add', ['x', 'act'], ['res']),
        helper.make_node('LayerNormalization', ['res', 'ln_scale', 'ln_bias'], ['hidden'], axis=-1),
        helper.make_node('ReduceMean', ['hidden'], ['pooled'], axes=[1], keepdims=0),
    ]
    float_output('hidden', 'last_hidden_state', out_type, ['batch', 'sequence', HIDDEN], nodes,
                 outputs)
    float_output('pooled', 'pooler_output', out_type, ['batch', HIDDEN], nodes, outputs)
    return helper.make_graph(nodes, 'text_encoder', inputs, outputs, inits)


def unet(rng, timestep_type=F32, timestep_shape=('batch',), io_type=F32, sample_name='sample',
         sample_channels=LATENT_CHANNELS, time_cond=False):
    c = UNET_CHANNELS
    nodes, inputs, outputs = [], [], []
    sample = float_inputs(sample_name, io_type, ['batch', sample_channels, 'height', 'width'],
                          nodes, inputs)
    inputs.append(io('timestep', timestep_type, list(timestep_shape)))
    ehs = float_inputs('encoder_hidden_states', io_type, ['batch', 'sequence', HIDDEN], nodes,
                       inputs)
    # Sinusoidal timestep embedding, as the real UNet's (diffusers get_timestep_embedding).
    freqs = np.exp(-np.log(10000.0) * np.arange(TIME_FREQS) / TIME_FREQS).reshape(1, -1)
    inits = [
        init('w_in', rng.normal(0, 1 / np.sqrt(sample_channels * 9), (c, sample_channels, 3, 3))),
        init('b_in', np.zeros(c)),
        init('w_out', rng.normal(0, 0.3 / np.sqrt(c * 9), (LATENT_CHANNELS, c, 3, 3))),
        init('b_out', np.zeros(LATENT_CHANNELS)),
        init('time_freqs', freqs),
        init('w_time', rng.normal(0, 1 / np.sqrt(2 * TIME_FREQS), (2 * TIME_FREQS, c))),
        init('w_text', rng.normal(0, 1 / np.sqrt(HIDDEN), (HIDDEN, c))),
        const_i64('column', [-1, 1]),
        const_i64('per_channel', [-1, c, 1, 1]),
    ]
    t = 'timestep'
    if timestep_type != F32:
        nodes.append(helper.make_node('Cast', ['timestep'], ['timestep_f32'], to=F32))
        t = 'timestep_f32'
    nodes += [
        helper.make_node('Reshape', [t, 'column'], ['t_col']),
        helper.make_node('Mul', ['t_col', 'time_freqs'], ['t_arg']),
        helper.make_node('Sin', ['t_arg'], ['t_sin']),
        helper.make_node('Cos', ['t_arg'], ['t_cos']),
        helper.make_node('Concat', ['t_sin', 't_cos'], ['t_emb'], axis=1),
        helper.make_node('MatMul', ['t_emb', 'w_time'], ['t_proj']),
        helper.make_node('Reshape', ['t_proj', 'per_channel'], ['t_bias']),
        helper.make_node('ReduceMean', [ehs], ['text_mean'], axes=[1], keepdims=0),
        helper.make_node('MatMul', ['text_mean', 'w_text'], ['text_proj']),
        helper.make_node('Reshape', ['text_proj', 'per_channel'], ['text_bias']),
        conv([sample, 'w_in', 'b_in'], 'h0', 3, pad=1),
        helper.make_node('Add', ['h0', 't_bias'], ['h1']),
        helper.make_node('Add', ['h1', 'text_bias'], ['h2']),
    ]
    h = 'h2'
    if time_cond:
        inputs.append(io('timestep_cond', io_type, ['batch', TIME_COND_DIM]))
        inits.append(init('w_cond', rng.normal(0, 1 / np.sqrt(TIME_COND_DIM), (TIME_COND_DIM, c))))
        nodes += [
            helper.make_node('MatMul', ['timestep_cond', 'w_cond'], ['cond_proj']),
            helper.make_node('Reshape', ['cond_proj', 'per_channel'], ['cond_bias']),
            helper.make_node('Add', [h, 'cond_bias'], ['h3']),
        ]
        h = 'h3'
    nodes += [
        helper.make_node('Sigmoid', [h], ['gate']),
        helper.make_node('Mul', [h, 'gate'], ['silu']),
        conv(['silu', 'w_out', 'b_out'], 'delta', 3, pad=1),
        # ε ≈ the input plus a small random correction: at high noise the input IS mostly the
        # noise, so the sampler stays in range and the pictures are textures, not saturation.
        helper.make_node('Add', [sample, 'delta'], ['out']) if sample_channels == LATENT_CHANNELS
        else helper.make_node('Identity', ['delta'], ['out']),
    ]
    float_output('out', 'out_sample', io_type,
                 ['batch', LATENT_CHANNELS, 'height', 'width'], nodes, outputs)
    return helper.make_graph(nodes, 'unet', inputs, outputs, inits)


def vae_encoder(io_type=F32, parameters=False):
    """8x8 block mean per RGB channel (+ luma), divided by the scaling factor."""
    out_channels = 2 * LATENT_CHANNELS if parameters else LATENT_CHANNELS
    w = np.zeros((out_channels, 3, 8, 8))
    for ch in range(3):
        w[ch, ch] = 1 / 64 / SCALING_FACTOR
    w[3, :] = 1 / 3 / 64 / SCALING_FACTOR
    bias = np.zeros(out_channels)
    if parameters:
        bias[LATENT_CHANNELS:] = -12.0  # logvar: a very small spread, as a trained VAE's
    nodes, inputs, outputs = [], [], []
    sample = float_inputs('sample', io_type, ['batch', 3, 'height', 'width'], nodes, inputs)
    nodes.append(conv([sample, 'w', 'b'], 'z', 8, stride=8))
    name = 'latent_parameters' if parameters else 'latent_sample'
    float_output('z', name, io_type, ['batch', out_channels, 'height_latent', 'width_latent'],
                 nodes, outputs)
    return helper.make_graph(nodes, 'vae_encoder', inputs, outputs, [init('w', w), init('b', bias)])


def vae_decoder(io_type=F32):
    """Repeats each latent pixel over an 8x8 block: pixel = latent x scaling factor."""
    w = np.zeros((LATENT_CHANNELS, 3, 8, 8))
    for ch in range(3):
        w[ch, ch] = SCALING_FACTOR
    nodes, inputs, outputs = [], [], []
    latent = float_inputs('latent_sample', io_type, ['batch', LATENT_CHANNELS, 'height', 'width'],
                          nodes, inputs)
    nodes.append(conv([latent, 'w', 'b'], 'x', 8, stride=8, transpose=True))
    float_output('x', 'sample', io_type, ['batch', 3, 'height_out', 'width_out'], nodes, outputs)
    return helper.make_graph(nodes, 'vae_decoder', inputs, outputs,
                             [init('w', w), init('b', np.zeros(3))])



def float16_weights(graph, keep_float32=()):
    """What onnxconverter-common's convert_float_to_float16(keep_io_types=True) makes of a graph
    (the fp16 SD-Turbo and LCM exports for the web: fp16 weights and arithmetic, fp32 IO), in
    miniature: float initializers become float16, every op works in float16, float inputs are
    cast to float16 on the way in and float outputs back to float32 on the way out.

    `keep_float32` names the outputs of nodes that stay in float32 (with the float initializers
    only they use), as diffusers computes the timestep embedding in float32 (`timesteps.float()`)
    before casting it to the UNet's dtype: sin/cos of arguments up to ~1000 rad would lose ~0.25
    rad in float16. Casts are inserted where the float16 and float32 parts meet.
    """
    nodes = list(graph.node)
    kept = [node.output[0] in keep_float32 for node in nodes]
    producer = {out: i for i, node in enumerate(nodes) for out in node.output}
    users = {}
    for i, node in enumerate(nodes):
        for x in node.input:
            users.setdefault(x, []).append(i)
    inits = {init.name: init for init in graph.initializer}
    floats = (F32, F16)
    is_float = {i.name: i.type.tensor_type.elem_type in floats for i in graph.input}
    is_float.update({name: init.data_type in floats for name, init in inits.items()})
    for node in nodes:
        if node.op_type == 'Cast':
            floaty = next(a.i for a in node.attribute if a.name == 'to') in floats
        else:
            floaty = any(is_float.get(x, False) for x in node.input)
        is_float.update({out: floaty for out in node.output})

    def stays_float32(tensor):
        if tensor in producer:
            return kept[producer[tensor]]
        if tensor in inits:
            return all(kept[i] for i in users.get(tensor, []))
        return True  # graph inputs keep their float32 type

    out_nodes, casts = [], {}

    def as_type(tensor, float32):
        if not is_float.get(tensor, False) or stays_float32(tensor) == float32:
            return tensor
        if (tensor, float32) not in casts:
            casts[(tensor, float32)] = f'{tensor}_{"f32" if float32 else "f16"}'
            out_nodes.append(helper.make_node('Cast', [tensor], [casts[(tensor, float32)]],
                                              to=F32 if float32 else F16))
        return casts[(tensor, float32)]

    outputs = {o.name for o in graph.output if o.type.tensor_type.elem_type == F32}
    for i, node in enumerate(nodes):
        renamed = [f'{o}_f16' if o in outputs and not kept[i] else o for o in node.output]
        new = helper.make_node(node.op_type, [as_type(x, kept[i]) for x in node.input], renamed)
        new.attribute.extend(node.attribute)
        for a in new.attribute:
            if node.op_type == 'Cast' and a.name == 'to' and a.i == F32 and not kept[i]:
                a.i = F16
        out_nodes.append(new)
        out_nodes += [helper.make_node('Cast', [r], [o], to=F32)
                      for o, r in zip(node.output, renamed) if r != o]

    def convert(init):
        if init.data_type != F32 or stays_float32(init.name):
            return init
        return numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name)

    return helper.make_graph(out_nodes, graph.name, list(graph.input), list(graph.output),
                             [convert(i) for i in graph.initializer])
