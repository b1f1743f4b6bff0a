// Small TF.js layers models that exercise every op the importer supports beyond nsfwjs's (odd sizes
// for TensorFlow's asymmetric 'same' padding, depthwise multipliers, separable convolutions, folded
// and unfolded batch norms, pooling with 'same', concatenation, flatten order, reshape, and all
// four weight encodings: float32, uint8, uint16, float16), with random weights and the outputs
// TF.js (pure-JS cpu backend) gives for random inputs. TfjsImporterTest holds the importer to them.
//
//   node fixtures.js <repo root>     writes worker/src/test/resources/tfjs/<model>/{model.json, group1-shard1of1, io.json}
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function graphModel() {
  const input = tf.input({ shape: [9, 8, 3], name: 'image' });
  const stem = tf.layers.conv2d({ name: 'stem', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(input);
  let a = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }).apply(stem);
  a = tf.layers.batchNormalization({ name: 'dw_bn' }).apply(a);
  a = tf.layers.reLU({ name: 'dw_relu6', maxValue: 6 }).apply(a);
  let b = tf.layers.separableConv2d({ name: 'sep', filters: 8, kernelSize: 3, padding: 'same' }).apply(stem);
  b = tf.layers.batchNormalization({ name: 'sep_bn', scale: false }).apply(b);
  let x = tf.layers.add({ name: 'sum' }).apply([a, b]);
  x = tf.layers.batchNormalization({ name: 'sum_bn' }).apply(x);
  x = tf.layers.leakyReLU({ name: 'leaky', alpha: 0.2 }).apply(x);
  x = tf.layers.averagePooling2d({ name: 'avg', poolSize: 3, strides: 1, padding: 'same' }).apply(x);
  x = tf.layers.maxPooling2d({ name: 'max', poolSize: 2, strides: 2, padding: 'valid' }).apply(x);
  const side = tf.layers.conv2d({ name: 'side', filters: 5, kernelSize: 1, activation: 'sigmoid' }).apply(x);
  x = tf.layers.concatenate({ name: 'cat', axis: -1 }).apply([x, side]);
  x = tf.layers.zeroPadding2d({ name: 'pad', padding: [[1, 0], [0, 1]] }).apply(x);
  x = tf.layers.conv2d({ name: 'tail', filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'same', useBias: false }).apply(x);
  x = tf.layers.flatten({ name: 'flat' }).apply(x);
  x = tf.layers.dense({ name: 'fc', units: 6, activation: 'tanh' }).apply(x);
  x = tf.layers.dropout({ name: 'drop', rate: 0.5 }).apply(x);
  const out = tf.layers.dense({ name: 'probs', units: 3, activation: 'softmax' }).apply(x);
  return tf.model({ inputs: input, outputs: out, name: 'graph' });
}

function sequentialModel() {
  const m = tf.sequential({ name: 'seq' });
  m.add(tf.layers.conv2d({ name: 'c1', inputShape: [7, 7, 2], filters: 3, kernelSize: 3, activation: 'elu' }));
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dense({ name: 'd1', units: 12, activation: 'relu' }));
  m.add(tf.layers.reshape({ name: 'rs', targetShape: [2, 2, 3] }));
  m.add(tf.layers.conv2d({ name: 'c2', filters: 2, kernelSize: 1 }));
  m.add(tf.layers.globalMaxPooling2d({ name: 'gmp' }));
  m.add(tf.layers.dense({ name: 'd2', units: 4 }));
  m.add(tf.layers.softmax({ name: 'sm' }));
  return m;
}

const ENCODINGS = ['uint8', 'float32', 'uint16', 'float16'];

/** Encodes each weight in turn as uint8, float32, uint16 or float16, as the TF.js converter writes them. */
function encode(specs, data) {
  const out = [];
  const manifest = [];
  let offset = 0;
  specs.forEach((spec, i) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(data.slice(offset, offset + 4 * n));
    offset += 4 * n;
    const enc = ENCODINGS[i % ENCODINGS.length];
    const s = { name: spec.name, shape: spec.shape, dtype: 'float32' };
    if (enc === 'float32') {
      out.push(Buffer.from(values.buffer));
    } else if (enc === 'float16') {
      s.quantization = { dtype: 'float16' };
      const half = tf.tidy(() => tf.tensor(values).toFloat());
      out.push(Buffer.from(toHalf(half.dataSync()).buffer));
      half.dispose();
    } else {
      const levels = enc === 'uint8' ? 255 : 65535;
      const min = Math.min(...values);
      const max = Math.max(...values);
      const scale = max > min ? (max - min) / levels : 1;
      s.quantization = { dtype: enc, min, scale };
      const q = enc === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
      values.forEach((v, j) => { q[j] = Math.round((v - min) / scale); });
      out.push(Buffer.from(q.buffer));
    }
    manifest.push(s);
  });
  return { manifest, bytes: Buffer.concat(out) };
}

function toHalf(f32) {
  const u = new Uint16Array(f32.length);
  const f = new Float32Array(1);
  const i = new Uint32Array(f.buffer);
  f32.forEach((v, k) => {
    f[0] = v;
    const x = i[0];
    const sign = (x >>> 16) & 0x8000;
    let e = ((x >>> 23) & 0xff) - 112;
    let m = x & 0x7fffff;
    if (e <= 0) { u[k] = sign; return; } // tiny values flush to zero (none here)
    m += 0x1000; // round to nearest
    if (m & 0x800000) { m = 0; e += 1; }
    u[k] = sign | (e << 10) | (m >>> 13);
  });
  return u;
}

async function write(model, root, name, seed) {
  // deterministic random weights; variances positive
  model.weights.forEach((w, k) => {
    const v = w.name.includes('moving_variance')
      ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + k)
      : tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + k);
    w.write(v);
  });
  let artifacts;
  await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const { manifest, bytes } = encode(artifacts.weightSpecs, artifacts.weightData);
  const dir = path.join(root, 'worker/src/test/resources/tfjs', name);
  fs.mkdirSync(dir, { recursive: true });
  const json = { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null,
    modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1'], weights: manifest }] };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'group1-shard1of1'), bytes);
  // the reference runs the model as TF.js loads it from these files (dequantised)
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }));
  const shape = [2, ...model.inputs[0].shape.slice(1)];
  const input = tf.randomUniform(shape, 0, 1, 'float32', seed + 1000);
  const output = loaded.predict(input);
  fs.writeFileSync(path.join(dir, 'io.json'), JSON.stringify({ tfjs: tf.version.tfjs, backend: tf.getBackend(),
    inputShape: shape, input: Array.from(input.dataSync()), outputShape: output.shape, output: Array.from(output.dataSync()) }) + '\n');
}

(async () => {
  const root = process.argv[2];
  if (!root) { console.error('usage: node fixtures.js <repo root>'); process.exit(2); }
  await tf.setBackend('cpu');
  await write(graphModel(), root, 'graph', 1);
  await write(sequentialModel(), root, 'sequential', 2);
})().catch((e) => { console.error(e); process.exit(1); });
