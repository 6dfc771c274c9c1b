// A small quasi-Newton minimizer (BFGS with a backtracking Armijo line search)
// for the models' maximum-likelihood fits, which hand it a smooth objective
// and its exact gradient over unconstrained (log-)parameters. Deterministic:
// the same objective and start give the same steps. Pure; never reads a
// clock.
//
// Why BFGS and not Nelder–Mead: the models hand over their exact gradient,
// with which the four-parameter BG/NBD fit on CDNOW takes 24 iterations;
// each evaluation is a pass over the customers, so few evaluations is what
// keeps a large shop's fit short.

export interface Evaluation {
  value: number;
  gradient: number[];
}

export type Objective = (point: readonly number[]) => Evaluation;

export interface MinimizeOptions {
  /** Converged when every gradient component is at most this. */
  gradientTolerance?: number;
  maxIterations?: number;
}

export interface Minimum {
  point: number[];
  value: number;
  gradient: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** The largest step the line search starts from, in each coordinate (a factor e⁴ on a log-parameter). */
const maxStep = 4;
const armijo = 1e-4;
/** Relative size of the rounding in an objective's value (a sum of many terms). */
const roundingBand = 1e-13;

export function minimizeBfgs(
  objective: Objective,
  start: readonly number[],
  options: MinimizeOptions = {},
): Minimum {
  const tolerance = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const n = start.length;
  let point = [...start];
  let current = checked(objective(point));
  let evaluations = 1;
  let inverse = identity(n);
  let fresh = true;
  let iterations = 0;
  while (iterations < maxIterations && maxAbs(current.gradient) > tolerance) {
    iterations += 1;
    let direction = times(inverse, current.gradient).map((v) => -v);
    let slope = dot(direction, current.gradient);
    if (!(slope < 0)) {
      // The curvature estimate went bad: start again from steepest descent.
      inverse = identity(n);
      fresh = true;
      direction = current.gradient.map((v) => -v);
      slope = dot(direction, current.gradient);
    }
    const longest = maxAbs(direction);
    const scale = longest > maxStep ? maxStep / longest : 1;
    let step = scale;
    let next: Evaluation | null = null;
    let trial: number[] = point;
    const noise = roundingBand * Math.max(1, Math.abs(current.value));
    for (let k = 0; k < 40; k += 1) {
      trial = point.map((v, i) => v + step * direction[i]!);
      const evaluation = objective(trial);
      evaluations += 1;
      if (acceptable(evaluation, current, step * slope, noise)) {
        next = evaluation;
        break;
      }
      step /= 2;
    }
    if (next === null) {
      if (fresh) break;
      inverse = identity(n);
      fresh = true;
      continue;
    }
    const s = trial.map((v, i) => v - point[i]!);
    const y = next.gradient.map((v, i) => v - current.gradient[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) inverse = identity(n).map((row) => row.map((v) => (v * sy) / dot(y, y)));
      inverse = bfgsUpdate(inverse, s, y, sy);
      fresh = false;
    }
    point = trial;
    current = next;
  }
  return {
    point,
    value: current.value,
    gradient: current.gradient,
    iterations,
    evaluations,
    converged: maxAbs(current.gradient) <= tolerance,
  };
}

export interface LikelihoodMaximum {
  params: number[];
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

/**
 * Maximum likelihood over positive parameters, searched in their logarithms
 * (so no bound is ever crossed): logLikelihood gives the value and its
 * gradient in the parameters themselves, summed over count customers; the
 * search minimizes the negative per-customer mean, so the tolerance means the
 * same for ten customers and a million. Converged means every component of
 * that mean's gradient (in the logarithms) is within 1e-9.
 */
export function maximizeLikelihood(
  logLikelihood: (params: readonly number[]) => Evaluation,
  start: readonly number[],
  count: number,
  maxIterations = 500,
): LikelihoodMaximum {
  const minimum = minimizeBfgs(
    (logs) => {
      const params = logs.map(Math.exp);
      const { value, gradient } = logLikelihood(params);
      return { value: -value / count, gradient: gradient.map((g, i) => (-g * params[i]!) / count) };
    },
    start.map(Math.log),
    { gradientTolerance: 1e-9, maxIterations },
  );
  return {
    params: minimum.point.map(Math.exp),
    logLikelihood: -minimum.value * count,
    converged: minimum.converged,
    iterations: minimum.iterations,
  };
}

/**
 * Armijo's sufficient decrease; or, once the decrease it asks for is below the
 * value's rounding (close to the minimum, where f's last digits are noise), a
 * value no higher than rounding allows and a smaller gradient: the gradient
 * is exact to far more digits than f's differences, so it still steers.
 */
function acceptable(trial: Evaluation, current: Evaluation, decrease: number, noise: number): boolean {
  if (!finiteEvaluation(trial)) return false;
  if (trial.value <= current.value + armijo * decrease) return true;
  return trial.value <= current.value + noise && maxAbs(trial.gradient) < maxAbs(current.gradient);
}

/** H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ with ρ = 1 / sᵀy, the inverse-Hessian update. */
function bfgsUpdate(h: number[][], s: number[], y: number[], sy: number): number[][] {
  const rho = 1 / sy;
  const hy = times(h, y);
  const yhy = dot(y, hy);
  return h.map((row, i) =>
    row.map((v, j) => v - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!),
  );
}

function checked(evaluation: Evaluation): Evaluation {
  if (!finiteEvaluation(evaluation))
    throw new RangeError('the objective is not finite at the starting point');
  return evaluation;
}

function finiteEvaluation(evaluation: Evaluation): boolean {
  return Number.isFinite(evaluation.value) && evaluation.gradient.every(Number.isFinite);
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function times(matrix: number[][], vector: readonly number[]): number[] {
  return matrix.map((row) => dot(row, vector));
}

function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i += 1) sum += u[i]! * v[i]!;
  return sum;
}

function maxAbs(vector: readonly number[]): number {
  return vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
