package io.yinghuo.ingest.ocr;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * OCR by running the {@code tesseract} command once per page
 * (https://tesseract-ocr.github.io/tessdoc/Command-Line-Usage.html), reading its TSV output for words and boxes.
 *
 * <p>Why the command and not Tess4J (JNA calls into libtesseract inside the JVM):
 * <ul>
 *   <li>a crash: Tesseract and Leptonica are C/C++ that read untrusted images; a fault there kills the process it
 *       runs in. As a child process it fails one page; in the JVM it would take the whole server down;</li>
 *   <li>a time limit: a native call through JNA cannot be interrupted, a child process can be killed
 *       ({@link Process#destroyForcibly()}), so a page that makes Tesseract spin costs at most {@link #pageTimeout};</li>
 *   <li>memory: Tesseract's memory is outside the Java heap and returned to the system when the process exits;</li>
 *   <li>versions: Tess4J releases are built against one libtesseract ABI (5.x) and bring their own copies of
 *       PDFBox, JAI and Leptonica bindings; the command line and its TSV columns are the same in Tesseract 4 and 5
 *       (Debian 11 ships 4.1, Debian 12 ships 5.3), and installing OCR is one {@code apt-get}.</li>
 * </ul>
 * The cost is starting a process and loading the language models per page (about 0.2 s with the "fast" models
 * Debian ships), small next to recognising a 300 dpi page (seconds).
 *
 * <p>Each run gets {@code OMP_THREAD_LIMIT=1}: Tesseract's OpenMP threads gain little per page and compete with
 * the other ingest workers; the Tesseract FAQ recommends one thread per process when running several at once
 * (https://tesseract-ocr.github.io/tessdoc/FAQ.html). At most one process per core runs at a time.
 *
 * <p>Files, not pipes: the page image and the TSV go through a private temporary folder, so that a Tesseract that
 * stops reading or writing can never block this thread past the timeout.
 */
public final class TesseractCommand implements OcrEngine {

    /** What to install on Debian or Ubuntu; named in every "OCR unavailable" message. */
    public static final String PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra";

    private static final Semaphore PROCESSES = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private final String executable;
    private final String languages;
    private final Duration pageTimeout;
    /** Tesseract's {@code --tessdata-dir}, or null for the models installed with Tesseract. */
    private final Path models;
    /** Below this chi_sim confidence on script-sensitive words a page is read again with chi_tra. */
    private final double unsureBelow;
    private volatile String unavailableReason;
    private volatile boolean checked;

    /**
     * @param executable the command ("tesseract" to search the PATH, or an absolute path)
     * @param languages Tesseract's {@code -l} value, e.g. "chi_sim+chi_tra"
     * @param pageTimeout how long one page may take before its process is killed
     */
    public TesseractCommand(String executable, String languages, Duration pageTimeout) {
        this(executable, languages, pageTimeout, null);
    }

    /**
     * @param models a folder of {@code .traineddata} files used instead of the installed ones (Tesseract's
     *               {@code --tessdata-dir}), or null
     */
    public TesseractCommand(String executable, String languages, Duration pageTimeout, Path models) {
        this.executable = executable;
        this.languages = languages;
        this.pageTimeout = pageTimeout;
        this.models = models;
        this.unsureBelow = models == null ? OcrLanguages.UNSURE_BELOW : OcrLanguages.UNSURE_BELOW_MODELS_FOLDER;
    }

    /**
     * The command named by the system property {@code yinghuo.tesseract} (default "tesseract" on the PATH), the
     * models of {@code yinghuo.ocr.languages} (default {@link OcrLanguages#AUTO}: simplified or traditional Chinese
     * per page), a page timeout from {@code yinghuo.ocr.pageTimeout} seconds (default 120), and the language models
     * of the folder {@code yinghuo.ocr.models} (default: those installed with Tesseract). Debian's packages hold
     * Tesseract's "fast" models; the folder lets a user point at the more accurate ones of the tesseract-ocr/tessdata
     * repository (its LSTM networks are the "best" models converted to integers), see README.
     */
    public static TesseractCommand fromEnvironment() {
        String command = System.getProperty("yinghuo.tesseract", "tesseract");
        String languages = System.getProperty("yinghuo.ocr.languages", OcrLanguages.DEFAULT);
        long seconds = Long.getLong("yinghuo.ocr.pageTimeout", 120);
        String models = System.getProperty("yinghuo.ocr.models", "");
        return new TesseractCommand(command, languages, Duration.ofSeconds(seconds),
                models.isBlank() ? null : Path.of(models));
    }

    public String languages() {
        return languages;
    }

    @Override
    public String unavailableReason() {
        if (!checked) {
            synchronized (this) {
                if (!checked) {
                    unavailableReason = check();
                    checked = true;
                }
            }
        }
        return unavailableReason;
    }

    /**
     * Scaled to {@link RecognitionResolution#DPI} first when {@code dpi} is higher, and straightened when it is
     * turned ({@link Deskew}); boxes in the image's pixels.
     */
    @Override
    public RecognisedPage recognise(BufferedImage image, int dpi) throws OcrException, InterruptedException {
        double factor = RecognitionResolution.factor(dpi);
        BufferedImage grey = factor == 1 ? Pgm.grey(image) : RecognitionResolution.scale(image, factor);
        double skew = Deskew.ENABLED ? Deskew.angle(grey) : 0;
        boolean turned = Math.abs(skew) >= Deskew.MIN_DEGREES;
        BufferedImage straight = turned ? Deskew.straighten(grey, skew) : grey;
        RecognisedPage page = recognise(Pgm.encode(straight), "page.pgm", straight.getWidth(), straight.getHeight(),
                factor == 1 ? dpi : RecognitionResolution.DPI);
        if (turned) {
            page = Deskew.unstraighten(page, skew);
        }
        return factor == 1 ? page
                : RecognitionResolution.inOriginalPixels(page, factor, image.getWidth(), image.getHeight());
    }

    @Override
    public RecognisedPage recognise(byte[] encodedImage, int dpi) throws OcrException, InterruptedException {
        return recognise(encodedImage, "page.img", -1, -1, dpi);
    }

    private RecognisedPage recognise(byte[] imageBytes, String imageName, int width, int height, int dpi)
            throws OcrException, InterruptedException {
        if (!OcrLanguages.AUTO.equals(languages)) {
            return run(imageBytes, imageName, width, height, dpi, languages);
        }
        RecognisedPage simplified = run(imageBytes, imageName, width, height, dpi, OcrLanguages.SIMPLIFIED);
        double sure = ChineseScript.scriptSensitiveConfidence(simplified);
        if (Double.isNaN(sure) || sure >= unsureBelow) {
            return simplified; // no character that tells the scripts apart, or clearly simplified
        }
        RecognisedPage traditional = run(imageBytes, imageName, width, height, dpi, OcrLanguages.TRADITIONAL);
        double other = ChineseScript.scriptSensitiveConfidence(traditional);
        return !Double.isNaN(other) && other > sure ? traditional : simplified;
    }

    private RecognisedPage run(byte[] imageBytes, String imageName, int width, int height, int dpi, String models)
            throws OcrException, InterruptedException {
        String unavailable = unavailableReason();
        if (unavailable != null) {
            throw new OcrException(unavailable);
        }
        PROCESSES.acquire();
        Path folder = null;
        try {
            folder = Files.createTempDirectory("yinghuo-ocr-");
            Path input = Files.write(folder.resolve(imageName), imageBytes);
            Path outputBase = folder.resolve("out");
            List<String> command = new ArrayList<>(List.of(executable, input.toString(), outputBase.toString()));
            command.addAll(modelsFolderArguments());
            // --oem 1, the LSTM engine alone: Debian's "fast" models hold nothing else, while the tessdata models
            // also hold the legacy engine, and Tesseract's default (--oem 3) then runs both, which read our degraded
            // test pages far worse (11-81 % character errors against 1-6 %) and 4-10x slower
            command.addAll(List.of("-l", models, "--oem", "1", "--psm", "3"));
            if (dpi > 0) {
                command.addAll(List.of("--dpi", String.valueOf(dpi)));
            }
            // the TSV output by its variable, not by the "tsv" config file: a models folder has no configs/ beside it
            command.addAll(List.of("-c", "tessedit_create_tsv=1", "-c", "tessedit_create_txt=0"));
            String stderr = execute(command, folder, pageTimeout);
            Path tsv = folder.resolve("out.tsv");
            if (!Files.isRegularFile(tsv)) {
                throw new OcrException("tesseract produced no output" + describe(stderr));
            }
            String output = Files.readString(tsv, StandardCharsets.UTF_8);
            List<RecognisedWord> words = TesseractTsv.words(output);
            if (width < 0) {
                int[] size = TesseractTsv.pageSize(output);
                width = size[0];
                height = size[1];
            }
            return new RecognisedPage(width, height, words);
        } catch (IOException e) {
            throw new OcrException("tesseract could not be run (" + e.getMessage() + ")", e);
        } finally {
            PROCESSES.release();
            deleteQuietly(folder);
        }
    }

    /** Runs a command with files for its output; returns its standard error, or throws if it failed. */
    private static String execute(List<String> command, Path folder, Duration timeout)
            throws IOException, OcrException, InterruptedException {
        File stderrFile = folder.resolve("stderr.txt").toFile();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(folder.resolve("stdout.txt").toFile())
                .redirectError(stderrFile);
        builder.environment().put("OMP_THREAD_LIMIT", "1");
        Process process = builder.start();
        process.getOutputStream().close(); // nothing on standard input: the image is a file
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new OcrException("tesseract took longer than " + timeout.toSeconds() + " s on the page");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        String stderr = Files.isRegularFile(stderrFile.toPath())
                ? Files.readString(stderrFile.toPath(), StandardCharsets.UTF_8) : "";
        if (process.exitValue() != 0) {
            throw new OcrException("tesseract failed (exit " + process.exitValue() + ")" + describe(stderr));
        }
        return stderr;
    }

    private String check() {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("yinghuo-ocr-");
            if (models != null && !Files.isDirectory(models)) {
                return "OCR is unavailable: the OCR models folder " + models + " does not exist";
            }
            List<String> listLanguages = new ArrayList<>(List.of(executable));
            listLanguages.addAll(modelsFolderArguments());
            listLanguages.add("--list-langs");
            execute(listLanguages, folder, Duration.ofSeconds(30));
            String listed = Files.readString(folder.resolve("stdout.txt"), StandardCharsets.UTF_8)
                    + Files.readString(folder.resolve("stderr.txt"), StandardCharsets.UTF_8);
            List<String> installed = List.of(listed.split("\\s+"));
            List<String> missing = new ArrayList<>();
            for (String language : OcrLanguages.required(languages)) {
                if (!installed.contains(language)) {
                    missing.add(language);
                }
            }
            if (!missing.isEmpty() && models != null) {
                return "OCR is unavailable: the OCR models folder " + models + " has no "
                        + String.join(", ", missing) + " language data (" + String.join(", ", missing.stream()
                        .map(language -> language + ".traineddata").toList()) + ")";
            }
            if (!missing.isEmpty()) {
                return "OCR is unavailable: Tesseract has no " + String.join(", ", missing)
                        + " language data (install the packages " + PACKAGES + ")";
            }
            return null;
        } catch (IOException | OcrException e) {
            return "OCR is unavailable: the " + executable + " command could not be run (install the packages "
                    + PACKAGES + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "OCR is unavailable: interrupted while checking for Tesseract";
        } finally {
            deleteQuietly(folder);
        }
    }

    private List<String> modelsFolderArguments() {
        return models == null ? List.of() : List.of("--tessdata-dir", models.toAbsolutePath().toString());
    }

    private static String describe(String stderr) {
        String s = stderr == null ? "" : stderr.strip();
        if (s.isEmpty()) {
            return "";
        }
        String last = s.substring(s.lastIndexOf('\n') + 1).strip();
        return ": " + (last.length() > 200 ? last.substring(0, 200) : last);
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return "tesseract (" + languages.toLowerCase(Locale.ROOT) + ", " + pageTimeout.toSeconds() + " s per page"
                + (models == null ? "" : ", models from " + models) + ")";
    }
}
