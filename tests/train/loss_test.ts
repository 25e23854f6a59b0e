import { tf } from "../../lib/deps.ts";
import { useBackend } from "../../lib/backend.ts";
import {
  crossEntropyLoss,
  lossFunction,
  mseLoss,
} from "../../lib/train/loss.ts";
import { assert, assertAlmostEquals, assertThrows } from "../_assert.ts";

await useBackend("wasm");

const value = (t: tf.Tensor) => t.dataSync()[0];

Deno.test("mseLoss() is the mean of squared differences over every element", () => {
  // ((1−0)² + (−2−2)² + (0.5−0.5)² + (3−1)²) / 4 = (1 + 16 + 0 + 4) / 4
  const l = mseLoss(
    tf.tensor([[1, -2], [0.5, 3]]),
    tf.tensor([[0, 2], [0.5, 1]]),
  );
  assertAlmostEquals(value(l), 21 / 4, 1e-6, "float32 rounding only");
  // A flat target is reshaped to the output's shape, not broadcast against
  // it: ((2 − 1)² + (4 − 3)²) / 2 = 1, where [2, 1] against [2] would
  // broadcast to the four differences 1, −1, 3, 1 (mean 3).
  assertAlmostEquals(
    value(mseLoss(tf.tensor([[2], [4]]), tf.tensor([1, 3]))),
    1,
    1e-6,
  );
  assertThrows(
    () => mseLoss(tf.zeros([2, 2]), tf.zeros([3])),
    Error,
    'Cannot compute loss "mse": output [2,2] and target [3] differ in size',
  );
});

Deno.test("crossEntropyLoss() matches hand-computed log-softmax values", () => {
  const logits = tf.tensor([[1, 2, 3], [0, 0, Math.log(2)]]);
  // Row 0, label 2: −log(e³/(e+e²+e³)); row 1, label 0: −log(1/(1+1+2)) = log 4.
  const row0 = -Math.log(Math.exp(3) / (Math.E + Math.exp(2) + Math.exp(3)));
  const want = (row0 + Math.log(4)) / 2;
  // float32 log-softmax: 1e-6 absolute.
  const labels = tf.tensor1d([2, 0], "int32");
  assertAlmostEquals(value(crossEntropyLoss(logits, labels)), want, 1e-6);
  const oneHot = tf.tensor([[0, 0, 1], [1, 0, 0]]);
  assertAlmostEquals(value(crossEntropyLoss(logits, oneHot)), want, 1e-6);
  // Soft targets: 0.5·(−log p_0) + 0.5·(−log p_2) for row 1 alone.
  const soft = crossEntropyLoss(
    tf.tensor([[0, 0, Math.log(2)]]),
    tf.tensor([[0.5, 0, 0.5]]),
  );
  assertAlmostEquals(value(soft), 0.5 * Math.log(4) + 0.5 * Math.log(2), 1e-6);
  assertThrows(
    () => crossEntropyLoss(logits, tf.tensor1d([1, 2, 0], "int32")),
    Error,
    'Cannot compute loss "cross_entropy": logits [2,3] need [N, K] with labels [N] or probabilities [N, K], got [3]',
  );
  // Probabilities of the wrong width, and logits that are not [N, K].
  assertThrows(
    () => crossEntropyLoss(logits, tf.zeros([2, 4])),
    Error,
    'Cannot compute loss "cross_entropy": logits [2,3] need [N, K] with labels [N] or probabilities [N, K], got [2,4]',
  );
  assertThrows(
    () => crossEntropyLoss(tf.zeros([3]), tf.tensor1d([0, 1, 2], "int32")),
    Error,
    'Cannot compute loss "cross_entropy": logits [3] need [N, K] with labels [N] or probabilities [N, K], got [3]',
  );
});

Deno.test("crossEntropyLoss() has the softmax-minus-one-hot gradient", () => {
  const logits = tf.tensor([[1, 2, 3]]);
  const g = tf.grad((z) => crossEntropyLoss(z, tf.tensor1d([0], "int32")))(
    logits,
  );
  const e = [1, 2, 3].map(Math.exp);
  const sum = e[0] + e[1] + e[2];
  const want = [e[0] / sum - 1, e[1] / sum, e[2] / sum];
  Array.from(g.dataSync()).forEach((v, i) =>
    assertAlmostEquals(v, want[i], 1e-6)
  );
});

Deno.test("lossFunction() resolves names and rejects unknown ones", () => {
  assertThrows(
    // @ts-expect-error: an unknown name, as a YAML file might hold
    () => lossFunction("hinge"),
    Error,
    'Cannot use loss "hinge": unknown; expected "mse" or "cross_entropy"',
  );
  assert(lossFunction("cross_entropy") === crossEntropyLoss, "cross_entropy");
  assert(lossFunction("mse") === mseLoss, "mse");
  const own = (o: tf.Tensor) => o;
  assert(lossFunction(own) === own, "a function is used as given");
});
