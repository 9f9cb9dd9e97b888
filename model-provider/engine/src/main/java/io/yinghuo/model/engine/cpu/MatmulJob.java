package io.yinghuo.model.engine.cpu;

/**
 * One parallel product of up to three linears that read the same activations (q/k/v, gate/up): their output
 * tasks are laid end to end so a single parallel loop (one wake-up of the workers) covers all of them.
 * Reused for every product; holds no per-call allocation.
 */
final class MatmulJob implements WorkerPool.RangeTask {
    private static final int MAX = 3;

    private final CpuKernels kernels;
    private final KernelScratch[] scratch;
    private final GptqInput[] inputs;
    private final CpuLinear[] linears = new CpuLinear[MAX];
    private final float[][] outputs = new float[MAX][];
    private final int[] taskStart = new int[MAX + 1];
    private int count;
    private int rows;
    private float[] x;

    /** @param inputs MAX activation buffers, each sized for the largest layer and batch */
    MatmulJob(CpuKernels kernels, KernelScratch[] scratch, GptqInput[] inputs) {
        this.kernels = kernels;
        this.scratch = scratch;
        this.inputs = inputs;
    }

    void run(WorkerPool pool, float[] x, int rows, CpuLinear a, float[] ya) {
        start(x, rows);
        add(a, ya);
        finish(pool);
    }

    void run(WorkerPool pool, float[] x, int rows, CpuLinear a, float[] ya, CpuLinear b, float[] yb) {
        start(x, rows);
        add(a, ya);
        add(b, yb);
        finish(pool);
    }

    void run(WorkerPool pool, float[] x, int rows, CpuLinear a, float[] ya, CpuLinear b, float[] yb, CpuLinear c,
             float[] yc) {
        start(x, rows);
        add(a, ya);
        add(b, yb);
        add(c, yc);
        finish(pool);
    }

    private void start(float[] x, int rows) {
        this.x = x;
        this.rows = rows;
        this.count = 0;
    }

    private void add(CpuLinear linear, float[] y) {
        int j = count++;
        linears[j] = linear;
        outputs[j] = y;
        taskStart[j + 1] = taskStart[j] + linear.tasks();
        linear.prepare(kernels, x, rows, inputs[j]);
    }

    private void finish(WorkerPool pool) {
        pool.run(taskStart[count], this);
        for (int j = 0; j < count; j++) {
            linears[j] = null;
            outputs[j] = null;
        }
        x = null;
    }

    @Override
    public void run(int worker, int from, int to) {
        for (int j = 0; j < count; j++) {
            int lo = Math.max(from, taskStart[j]);
            int hi = Math.min(to, taskStart[j + 1]);
            if (lo < hi) {
                linears[j].compute(kernels, x, rows, inputs[j], outputs[j], lo - taskStart[j], hi - taskStart[j],
                        scratch[worker]);
            }
        }
    }
}
