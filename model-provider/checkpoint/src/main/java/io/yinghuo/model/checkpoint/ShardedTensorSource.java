package io.yinghuo.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split over several safetensors files by a {@code *.safetensors.index.json} as
 * transformers' {@code save_pretrained} writes it ({@code SAFE_WEIGHTS_INDEX_NAME}):
 * {@code {"metadata": {...}, "weight_map": {tensor: file}}}. Shard names vary between tools, so the weight_map is
 * the only truth: every tensor it names must be in the file it names, and only those tensors are visible.
 */
public final class ShardedTensorSource implements TensorSource {
    private final Path indexFile;
    private final Map<String, SafetensorsFile> byTensor;
    private final List<SafetensorsFile> shards;

    private ShardedTensorSource(Path indexFile, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> shards) {
        this.indexFile = indexFile;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    public static ShardedTensorSource open(Path indexFile) {
        ObjectNode index = StrictJson.readObject(indexFile);
        JsonNode weightMap = index.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelLoadException(indexFile + ": missing or empty \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> openShards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new ModelLoadException(indexFile + ": weight_map entry for " + tensor
                            + " must be a file name");
                }
                String shardName = e.getValue().textValue();
                SafetensorsFile shard = openShards.get(shardName);
                if (shard == null) {
                    shard = SafetensorsFile.open(resolveShard(indexFile, dir, tensor, shardName));
                    openShards.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new ModelLoadException(indexFile + ": weight_map puts tensor " + tensor + " in "
                            + shardName + ", but that file has no such tensor");
                }
                byTensor.put(tensor, shard);
            }
        } catch (RuntimeException e) {
            openShards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new ShardedTensorSource(indexFile, Collections.unmodifiableMap(byTensor),
                List.copyOf(new ArrayList<>(openShards.values())));
    }

    private static Path resolveShard(Path indexFile, Path dir, String tensor, String shardName) {
        Path shard = dir.resolve(shardName).normalize();
        if (!shard.startsWith(dir)) {
            throw new ModelLoadException(indexFile + ": weight_map entry for " + tensor + " points outside the"
                    + " model directory: " + shardName);
        }
        if (!Files.isRegularFile(shard)) {
            throw new ModelLoadException(indexFile + ": weight_map puts tensor " + tensor + " in " + shardName
                    + ", which does not exist in " + dir);
        }
        return shard;
    }

    public Path indexFile() {
        return indexFile;
    }

    public List<SafetensorsFile> shards() {
        return shards;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public ByteBuffer buffer(String name) {
        return shardOf(name).buffer(name);
    }

    private SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = byTensor.get(name);
        if (shard == null) {
            throw new ModelLoadException(indexFile + ": no tensor named " + name + " in the weight_map");
        }
        return shard;
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "ShardedTensorSource[" + indexFile + ", " + shards.size() + " shards, " + byTensor.size() + " tensors]";
    }
}
