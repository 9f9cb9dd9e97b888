package io.yinghuo.model.engine.cuda;

import io.yinghuo.model.config.LlamaConfig;
import io.yinghuo.model.engine.EngineOptions;
import io.yinghuo.model.engine.InferenceSession;
import io.yinghuo.model.engine.LoadedModel;
import io.yinghuo.model.engine.rope.RotaryEmbedding;
import io.yinghuo.model.weights.DenseMatrix;
import io.yinghuo.model.weights.LayerWeights;
import io.yinghuo.model.weights.Linear;
import io.yinghuo.model.weights.LlamaWeights;
import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A LLaMA model resident on one GPU: every weight uploaded once (GPTQ rows act-order sorted on the host, dense
 * matrices in their own element type), one activation scratch, forward passes of all its sessions serialized.
 * Closing it closes its sessions and frees all its device memory; the device context stays for the next model.
 */
final class CudaModel implements LoadedModel {
    /** Layers of the model as uploaded. */
    record Layer(CUdeviceptr inputNorm, DeviceLinear q, DeviceLinear k, DeviceLinear v, DeviceLinear o,
                 CUdeviceptr postNorm, DeviceLinear gate, DeviceLinear up, DeviceLinear down) {
        List<DeviceLinear> linears() {
            return List.of(q, k, v, o, gate, up, down);
        }
    }

    private final CudaDevice device;
    private final LlamaConfig config;
    private final RotaryEmbedding rotary;
    private final DeviceMemory memory = new DeviceMemory();
    private final MemoryPlan plan;
    private final DenseMatrix embeddingMatrix;
    private final CUdeviceptr embeddings;
    private final List<Layer> layers;
    private final CUdeviceptr finalNorm;
    private final DeviceLinear lmHead;
    private final CudaForward forward;
    private final long weightBytesPerToken;
    private final Set<CudaSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    CudaModel(CudaDevice device, LlamaWeights weights, EngineOptions options) {
        this.device = device;
        this.config = weights.config();
        validate(weights);
        this.rotary = new RotaryEmbedding(config, options.rope());
        this.embeddingMatrix = weights.embeddings();
        CudaKernels.suffix(embeddingMatrix.dtype());
        int chunk = options.prefillChunk();
        long weightBytes = embeddingMatrix.storageBytes() + 4L * config.hiddenSize() * (1 + 2L * config.numLayers())
                + DeviceLinear.deviceBytes(weights.lmHead());
        for (LayerWeights l : weights.layers()) {
            for (Linear linear : List.of(l.qProj(), l.kProj(), l.vProj(), l.oProj(), l.gateProj(), l.upProj(),
                    l.downProj())) {
                weightBytes += DeviceLinear.deviceBytes(linear);
            }
        }
        this.plan = new MemoryPlan(weightBytes, CudaForward.scratchBytesEstimate(config, weights, chunk),
                CudaForward.kvBytesPerToken(config), chunk);
        device.makeCurrent();
        long[] info = device.memoryInfo();
        plan.checkModel(deviceName(), info[0], info[1]);
        try {
            int sms = device.multiprocessors;
            this.embeddings = memory.upload(embeddingMatrix.data(), embeddingMatrix.storageBytes());
            List<Layer> uploaded = new ArrayList<>();
            long streamed = (long) config.hiddenSize() * embeddingMatrix.dtype().bytes();
            for (LayerWeights l : weights.layers()) {
                Layer layer = new Layer(memory.upload(l.inputNorm()),
                        DeviceLinear.upload(l.qProj(), memory, sms), DeviceLinear.upload(l.kProj(), memory, sms),
                        DeviceLinear.upload(l.vProj(), memory, sms), DeviceLinear.upload(l.oProj(), memory, sms),
                        memory.upload(l.postAttentionNorm()),
                        DeviceLinear.upload(l.gateProj(), memory, sms), DeviceLinear.upload(l.upProj(), memory, sms),
                        DeviceLinear.upload(l.downProj(), memory, sms));
                uploaded.add(layer);
                for (DeviceLinear d : layer.linears()) {
                    streamed += d.bytes();
                }
            }
            this.layers = List.copyOf(uploaded);
            this.finalNorm = memory.upload(weights.finalNorm());
            this.lmHead = DeviceLinear.upload(weights.lmHead(), memory, sms);
            this.weightBytesPerToken = streamed + lmHead.bytes();
            this.forward = new CudaForward(this, chunk, memory);
            device.synchronize();
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /** The CUDA kernels' own limits; the tensor shapes are checked by {@link LlamaWeights#validateShapes()}. */
    private void validate(LlamaWeights w) {
        w.validateShapes();
        int d = config.headDim();
        if (d % 2 != 0 || d > CudaKernels.MAX_HEAD_DIM) {
            throw new IllegalArgumentException("head dimension " + d + ": the CUDA attention kernel needs an even "
                    + "head dimension of at most " + CudaKernels.MAX_HEAD_DIM + " (use --device cpu)");
        }
    }


    private String deviceName() {
        return "GPU " + device.index + " (" + device.name + ")";
    }

    @Override
    public LlamaConfig config() {
        return config;
    }

    @Override
    public String description() {
        return device.description() + ", rope " + rotary.spec() + ", prefill chunks of " + forward.maxRows()
                + " tokens, " + MemoryPlan.gib(memory.bytes()) + " resident";
    }

    @Override
    public InferenceSession newSession(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("session capacity must be >= 1 token, got " + capacity);
        }
        synchronized (this) {
            checkOpen();
            device.makeCurrent();
            long[] info = device.memoryInfo();
            plan.checkSession(capacity, deviceName(), info[0]);
            CudaSession s = new CudaSession(this, capacity);
            sessions.add(s);
            return s;
        }
    }

    @Override
    public long kvBytesPerToken() {
        return plan.kvBytesPerToken();
    }

    @Override
    public long weightBytesPerToken() {
        return weightBytesPerToken;
    }

    /** Device memory of the weights and scratch, as allocated. */
    long residentBytes() {
        return memory.bytes();
    }

    MemoryPlan plan() {
        return plan;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        device.makeCurrent();
        for (CudaSession s : List.copyOf(sessions)) {
            s.close();
        }
        memory.close();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model was closed");
        }
    }

    void forget(CudaSession s) {
        sessions.remove(s);
    }

    CudaDevice device() {
        return device;
    }

    CudaKernels kernels() {
        return device.kernels;
    }

    RotaryEmbedding rotary() {
        return rotary;
    }

    DenseMatrix embeddingMatrix() {
        return embeddingMatrix;
    }

    CUdeviceptr embeddings() {
        return embeddings;
    }

    List<Layer> layers() {
        return layers;
    }

    CUdeviceptr finalNorm() {
        return finalNorm;
    }

    DeviceLinear lmHead() {
        return lmHead;
    }

    CudaForward forward() {
        return forward;
    }

    List<DeviceLinear> allLinears() {
        List<DeviceLinear> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.linears());
        }
        all.add(lmHead);
        return all;
    }
}
