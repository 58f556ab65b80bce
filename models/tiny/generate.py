#!/usr/bin/python3
"""Writes the tiny Stable Diffusion model that tests and the default graph use offline.

Run from anywhere:  /usr/bin/python3 models/tiny/generate.py
Needs Debian's python3-onnx and python3-numpy (apt-get install -y python3-onnx python3-numpy);
nothing here runs in tests: the OUTPUT is committed (models/tiny/, variants in models/tiny/variants/).

The model has the diffusers ONNX layout and the input/output names, ranks and dtypes of the real
exports (see shared/design/sd-models.md), but tiny sizes:

  text_encoder  input_ids int32 [batch, sequence] -> last_hidden_state f32 [batch, sequence, 32],
                pooler_output f32 [batch, 32]            (random embedding + one layer)
  unet          sample f32 [batch, 4, height, width], timestep f32 [batch],
                encoder_hidden_states f32 [batch, sequence, 32] -> out_sample f32  (the input
                plus random convs of it, the timestep and the text; weights in unet/weights.pb
                as the diffusers exporter does)
  vae_encoder   sample f32 [batch, 3, height, width] -> latent_sample f32 [batch, 4, h/8, w/8]
  vae_decoder   latent_sample f32 [batch, 4, h/8, w/8] -> sample f32 [batch, 3, height, width]

The text encoder and UNet are random, so the pictures are noise. The VAE is NOT random: it is an
exact 8x8 block average (encoder) and block repeat (decoder), scaled so that latent x 0.18215 is the
block mean in [-1, 1]. That keeps the pipeline's image paths checkable: strength 0 gives back the
input, block-averaged.

Variants (models/tiny/variants/NAME/ hold only the files that differ from models/tiny/) cover the
differences between real exports that the loader must adapt to, and broken folders for error tests.
"""

import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = os.path.join(HERE, 'variants')

HIDDEN = 32  # text embedding width (768 in SD 1.x, 1024 in SD 2.x)
SEQUENCE = 77
LATENT_CHANNELS = 4
UNET_CHANNELS = 16
TIME_FREQS = 8
TIME_COND_DIM = 256  # LCM's guidance embedding width (time_cond_proj_dim)
SCALING_FACTOR = 0.18215
OPSET = 17

F32, F16, I32, I64 = TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.INT32, TensorProto.INT64

# A few sentences in the tool's vocabulary; the tiny BPE learns its merges from them.
CORPUS = """
no letters, no people, no recognizable objects
a painting of sound, a spectrogram of birds and rain, colourful abstract texture
an oil painting of music, waves of the ocean, noise and harmony, a watercolour of a song
a photograph of a forest at night, bright colours, soft light, dark blue and orange
""".split()


def bytes_to_unicode():
    """CLIP's reversible byte -> printable character map (openai/CLIP simple_tokenizer.py)."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1))
    bs += list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def train_bpe(words, merges_wanted):
    """Greedy BPE on word counts; ties broken by the pair's text so the output is stable."""
    b2u = bytes_to_unicode()
    counts = {}
    for word in words:
        word = word.strip('.,').lower()
        chars = [b2u[b] for b in word.encode('utf-8')]
        key = tuple(chars[:-1]) + (chars[-1] + '</w>',)
        counts[key] = counts.get(key, 0) + 1
    merges = []
    for _ in range(merges_wanted):
        pairs = {}
        for word, count in counts.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + count
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = {}
        for word, count in counts.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + count
        counts = merged
    return merges


def write_tokenizer(folder):
    merges = train_bpe(CORPUS, 160)
    # CLIP's vocabulary order: 256 byte characters, the same with </w>, the merges, the specials.
    base = list(bytes_to_unicode().values())
    vocab = base + [c + '</w>' for c in base] + [a + b for a, b in merges]
    vocab += ['<|startoftext|>', '<|endoftext|>']
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'vocab.json'), 'w', encoding='utf-8') as f:
        json.dump({token: i for i, token in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(folder, 'merges.txt'), 'w', encoding='utf-8') as f:
        f.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
    special = {
        'bos_token': '<|startoftext|>',
        'eos_token': '<|endoftext|>',
        'unk_token': '<|endoftext|>',
        'pad_token': '<|endoftext|>',
    }
    write_json(os.path.join(folder, 'special_tokens_map.json'), special)
    write_json(
        os.path.join(folder, 'tokenizer_config.json'),
        {**special, 'model_max_length': SEQUENCE, 'do_lower_case': True,
         'tokenizer_class': 'CLIPTokenizer'},
    )
    return len(vocab)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2)
        f.write('\n')


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


def scheduler_config(class_name='EulerDiscreteScheduler', **extra):
    return {
        '_class_name': class_name,
        'beta_start': 0.00085,
        'beta_end': 0.012,
        'beta_schedule': 'scaled_linear',
        'num_train_timesteps': 1000,
        'prediction_type': 'epsilon',
        'steps_offset': 1,
        'set_alpha_to_one': False,
        'skip_prk_steps': True,
        'clip_sample': False,
        'timestep_spacing': 'linspace',
        **extra,
    }


def main():
    rng = np.random.default_rng(20240521)
    vocab_size = write_tokenizer(os.path.join(HERE, 'tokenizer'))
    save(text_encoder(rng, vocab_size), os.path.join(HERE, 'text_encoder', 'model.onnx'))
    save(unet(np.random.default_rng(7)), os.path.join(HERE, 'unet', 'model.onnx'), 'weights.pb')
    save(vae_encoder(), os.path.join(HERE, 'vae_encoder', 'model.onnx'))
    save(vae_decoder(), os.path.join(HERE, 'vae_decoder', 'model.onnx'))
    write_json(os.path.join(HERE, 'scheduler', 'scheduler_config.json'), scheduler_config())
    write_json(os.path.join(HERE, 'unet', 'config.json'),
               {'in_channels': LATENT_CHANNELS, 'sample_size': 64, 'cross_attention_dim': HIDDEN})
    vae_config = {'latent_channels': LATENT_CHANNELS, 'scaling_factor': SCALING_FACTOR,
                  'block_out_channels': [8, 8, 8, 8]}
    write_json(os.path.join(HERE, 'vae_decoder', 'config.json'), vae_config)
    write_json(os.path.join(HERE, 'vae_encoder', 'config.json'), vae_config)
    write_json(os.path.join(HERE, 'model_index.json'), {
        '_class_name': 'OnnxStableDiffusionPipeline',
        '_diffusers_version': '0.30.0',
        '_synesthete_note': 'Tiny random test model written by models/tiny/generate.py.',
        'scheduler': ['diffusers', 'EulerDiscreteScheduler'],
        'text_encoder': ['diffusers', 'OnnxRuntimeModel'],
        'tokenizer': ['transformers', 'CLIPTokenizer'],
        'unet': ['diffusers', 'OnnxRuntimeModel'],
        'vae_decoder': ['diffusers', 'OnnxRuntimeModel'],
        'vae_encoder': ['diffusers', 'OnnxRuntimeModel'],
    })

    shutil.rmtree(VARIANTS, ignore_errors=True)

    def variant(name, path):
        return os.path.join(VARIANTS, name, path)

    # Same seeds as the main model, so a variant differs only in the way it is fed.
    def same_unet(**kw):
        return unet(np.random.default_rng(7), **kw)

    te_rng = lambda: np.random.default_rng(20240521)  # noqa: E731
    # optimum >= 1.24: int64 input_ids.
    save(text_encoder(te_rng(), vocab_size, ids_type=I64),
         variant('ids-int64', 'text_encoder/model.onnx'))
    # diffusers exporter before Nov 2022 and optimum < 1.24: int64 timestep [steps].
    save(same_unet(timestep_type=I64, timestep_shape=('steps',)),
         variant('timestep-int64', 'unet/model.onnx'), 'weights.pb')
    # optimum >= 1.24: float32 scalar (rank 0) timestep, weights in model.onnx_data.
    save(same_unet(timestep_shape=()), variant('timestep-scalar', 'unet/model.onnx'),
         'model.onnx_data')
    # Olive / diffusers --fp16: float16 at every input and output, float16 timestep.
    save(text_encoder(te_rng(), vocab_size, out_type=F16), variant('fp16', 'text_encoder/model.onnx'))
    save(same_unet(timestep_type=F16, io_type=F16), variant('fp16', 'unet/model.onnx'))
    save(vae_encoder(io_type=F16), variant('fp16', 'vae_encoder/model.onnx'))
    save(vae_decoder(io_type=F16), variant('fp16', 'vae_decoder/model.onnx'))
    # optimum >= 1.23: the VAE encoder returns mean and log-variance, not a sample.
    save(vae_encoder(parameters=True), variant('latent-parameters', 'vae_encoder/model.onnx'))
    # LCM exports: an extra timestep_cond input (guidance embedding) and the LCM scheduler.
    save(same_unet(time_cond=True), variant('lcm', 'unet/model.onnx'), 'weights.pb')
    write_json(variant('lcm', 'unet/config.json'),
               {'in_channels': LATENT_CHANNELS, 'sample_size': 64, 'cross_attention_dim': HIDDEN,
                'time_cond_proj_dim': TIME_COND_DIM})
    write_json(variant('lcm', 'scheduler/scheduler_config.json'),
               scheduler_config('LCMScheduler', set_alpha_to_one=True, steps_offset=0,
                                timestep_spacing='leading', original_inference_steps=50))
    # Broken folders: a UNet whose latent input has another name, and one with 3 channels.
    save(same_unet(sample_name='latent'), variant('bad-input-name', 'unet/model.onnx'))
    save(same_unet(sample_channels=3), variant('bad-channels', 'unet/model.onnx'))


if __name__ == '__main__':
    main()
