#!/usr/bin/python3
"""Writes the tiny Stable Diffusion model that tests and the default graph use offline.

Run from anywhere:  /usr/bin/python3 models/tiny/generate.py   (graph builders: graphs.py)
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
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ next to the committed model
from graphs import (F16, I64, LATENT_CHANNELS, HIDDEN, SCALING_FACTOR, SEQUENCE, TIME_COND_DIM,
                    TIME_EMBEDDING, float16_weights, save, text_encoder, unet, vae_decoder,
                    vae_encoder)

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = os.path.join(HERE, 'variants')

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
    # fp16 weights and arithmetic with fp32 IO (convert_float_to_float16(keep_io_types=True)), as
    # the SD-Turbo and LCM exports for the web (schmuell/sd-turbo-ort-web, aislamov/*); the UNet's
    # weights in model.onnx_data as aislamov's, its timestep embedding in float32 as diffusers'.
    half = variant('fp16-weights', '{}/model.onnx').format
    save(float16_weights(text_encoder(te_rng(), vocab_size)), half('text_encoder'))
    save(float16_weights(same_unet(), keep_float32=TIME_EMBEDDING), half('unet'), 'model.onnx_data')
    save(float16_weights(vae_encoder()), half('vae_encoder'))
    save(float16_weights(vae_decoder()), half('vae_decoder'))
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
