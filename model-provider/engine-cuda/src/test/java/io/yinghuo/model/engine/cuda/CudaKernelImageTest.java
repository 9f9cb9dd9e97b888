package io.yinghuo.model.engine.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fatbin the jar carries is the one the CUDA sources build (runs without a GPU): the recorded source hash
 * matches the sources, the resource is a fatbin container, and every kernel the Java side launches is in it.
 */
class CudaKernelImageTest {
    private static final Path SOURCES = Path.of("src", "main", "cuda");

    @Test
    void carriedFatbinWasBuiltFromTheseSources() throws IOException {
        String recorded = new String(resource(KernelImage.HASH), StandardCharsets.UTF_8).split("\\s+")[0];
        assertEquals(recorded, sourceHash(), "the CUDA sources changed since kernels.fatbin was built: run "
                + "model-provider/engine-cuda/src/main/cuda/build.sh (needs nvcc) and commit its outputs");
    }

    @Test
    void fatbinIsAFatbinContainer() {
        byte[] image = KernelImage.fatbin();
        assertTrue(image.length > 16, "fatbin of " + image.length + " bytes");
        int magic = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        assertEquals(KernelImage.FATBIN_MAGIC, magic, String.format("fatbin magic 0x%08x", magic));
    }

    @Test
    void fatbinHoldsEveryKernelForEveryArchitecture() {
        String image = new String(KernelImage.fatbin(), StandardCharsets.ISO_8859_1);
        for (String kernel : KernelImage.KERNELS) {
            // the symbol name, NUL-terminated, in each cubin's string table; ".entry name(" in the PTX
            int cubins = count(image, "\0" + kernel + "\0");
            assertTrue(cubins >= 4, kernel + " is in " + cubins + " of the 4 cubins (sm_80, 86, 89, 90)");
            assertTrue(image.contains(".entry " + kernel + "("), kernel + " is missing from the compute_90 PTX");
        }
        for (String arch : List.of("sm_80", "sm_86", "sm_89", "sm_90")) {
            assertTrue(image.contains(".target " + arch) || image.contains(arch), "no code for " + arch);
        }
    }

    @Test
    void javaListsExactlyTheKernelsTheSourcesDefine() throws IOException {
        Pattern kernel = Pattern.compile("extern \"C\" __global__ void (?:__launch_bounds__\\([^)]*\\) )?(\\w+)\\(");
        TreeSet<String> defined = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cuh") || p.toString().endsWith(".cu")).toList()) {
                Matcher m = kernel.matcher(Files.readString(f));
                while (m.find()) {
                    defined.add(m.group(1));
                }
            }
        }
        assertEquals(defined, new TreeSet<>(KernelImage.KERNELS));
    }

    /** build.sh's source_hash: every *.cu, *.cuh and build.sh in byte order of name: name, NUL, bytes, NUL. */
    static String sourceHash() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(SOURCES)) {
            list.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".cu") || n.endsWith(".cuh") || n.equals("build.sh");
            }).forEach(files::add);
        }
        files.sort((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString()));
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (Path f : files) {
            sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(f));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = KernelImage.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the class path: run model-provider/engine-cuda/src/main/cuda/build.sh");
            return in.readAllBytes();
        }
    }
}
