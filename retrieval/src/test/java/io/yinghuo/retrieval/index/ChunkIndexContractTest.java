package io.yinghuo.retrieval.index;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** The backend contract on the embedded Lucene index. */
class ChunkIndexContractTest extends ChunkStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ChunkStore newEmptyStore() throws IOException {
        return ChunkIndex.open(dir.resolve("index"), IndexProfile.CHINESE_HYBRID);
    }

    @Override
    protected ChunkStore openReadOnly() throws IOException {
        return ChunkIndex.openReadOnly(dir.resolve("index"));
    }
}
