package io.yinghuo.model.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the weights of a Hugging Face model directory, in this order (file names as transformers and AutoGPTQ write
 * them: {@code model.safetensors}, sharded with an index, or AutoGPTQ's {@code <model_file_base_name>.safetensors},
 * auto_gptq/modeling/_base.py {@code from_quantized}):
 * <ol>
 *   <li>{@code model.safetensors.index.json} (sharded; also {@code <model_file_base_name>.safetensors.index.json});</li>
 *   <li>{@code model.safetensors};</li>
 *   <li>{@code <model_file_base_name>.safetensors} from the quantize config, else the one {@code gptq_model-*.safetensors}
 *       (AutoGPTQ's older naming);</li>
 *   <li>the single {@code *.safetensors} file of the directory.</li>
 * </ol>
 * PyTorch pickles ({@code pytorch_model*.bin}) are refused: unpickling is code execution, and they are not mappable.
 */
public final class Checkpoints {
    public static final String INDEX = "model.safetensors.index.json";
    public static final String SINGLE = "model.safetensors";

    private Checkpoints() {
    }

    /** Opens the checkpoint of a model directory; the caller closes it. */
    public static TensorSource open(Path modelDir) {
        checkDirectory(modelDir);
        return open(modelDir, QuantizeConfigFile.modelFileBaseName(modelDir).orElse(null));
    }

    /** As {@link #open(Path)}, with the AutoGPTQ base file name given (null when none). */
    public static TensorSource open(Path modelDir, String modelFileBaseName) {
        Path file = locate(modelDir, modelFileBaseName);
        return file.getFileName().toString().endsWith(".index.json")
                ? ShardedTensorSource.open(file) : SafetensorsFile.open(file);
    }

    /** The index or safetensors file {@link #open} would read. */
    public static Path locate(Path modelDir, String modelFileBaseName) {
        checkDirectory(modelDir);
        List<Path> candidates = new ArrayList<>();
        candidates.add(modelDir.resolve(INDEX));
        if (modelFileBaseName != null) {
            candidates.add(modelDir.resolve(modelFileBaseName + ".safetensors.index.json"));
        }
        candidates.add(modelDir.resolve(SINGLE));
        if (modelFileBaseName != null) {
            candidates.add(modelDir.resolve(modelFileBaseName + ".safetensors"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Optional<Path> gptqNamed = single(modelDir, "gptq_model-*.safetensors");
        if (gptqNamed.isPresent()) {
            return gptqNamed.get();
        }
        Optional<Path> any = single(modelDir, "*.safetensors");
        if (any.isPresent()) {
            return any.get();
        }
        List<Path> pickles = list(modelDir, "pytorch_model*.bin");
        if (!pickles.isEmpty()) {
            throw new ModelLoadException(modelDir + ": only PyTorch pickle weights (" + pickles.get(0).getFileName()
                    + (pickles.size() > 1 ? " and " + (pickles.size() - 1) + " more" : "") + ") were found;"
                    + " Yinghuo reads safetensors only. Convert them, e.g. in Python with transformers:"
                    + " AutoModelForCausalLM.from_pretrained(dir).save_pretrained(out, safe_serialization=True)");
        }
        StringBuilder looked = new StringBuilder();
        for (Path p : candidates) {
            looked.append(p.getFileName()).append(", ");
        }
        throw new ModelLoadException(modelDir + ": no model weights found; looked for " + looked
                + "gptq_model-*.safetensors and any single *.safetensors file");
    }

    private static void checkDirectory(Path modelDir) {
        if (!Files.exists(modelDir)) {
            throw new ModelLoadException(modelDir + ": model directory does not exist");
        }
        if (!Files.isDirectory(modelDir)) {
            throw new ModelLoadException(modelDir + ": not a directory; give the model directory (the one with"
                    + " config.json and the .safetensors files)");
        }
    }

    /** The one file matching {@code glob}; several are ambiguous and named in the error. */
    private static Optional<Path> single(Path dir, String glob) {
        List<Path> found = list(dir, glob);
        if (found.size() > 1) {
            throw new ModelLoadException(dir + ": several weight files match " + glob + " (" + names(found)
                    + ") and no model.safetensors.index.json says how they fit together;"
                    + " keep one, or set model_file_base_name in quantize_config.json");
        }
        return found.stream().findFirst();
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static String names(List<Path> paths) {
        StringBuilder sb = new StringBuilder();
        for (Path p : paths) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p.getFileName());
        }
        return sb.toString();
    }
}
