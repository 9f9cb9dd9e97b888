package io.yinghuo.samples;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingChatSampleTest {

    @Test
    void runsAStreamingMultiTurnChatOnASynthesizedModel() throws Exception {
        String out = SampleOutput.of(StreamingChatSample::main);
        assertTrue(out.contains("random weights"), out);
        assertTrue(out.contains("chat template alpaca2"), out);
        assertTrue(out.contains("device auto"), "no device given: auto, and the log says where it runs: " + out);
        for (String question : StreamingChatSample.QUESTIONS) {
            assertTrue(out.contains("用户: " + question), out);
        }
        assertEquals(2, out.split("助手: ", -1).length - 1, out);
        // (each usage line starts a line of its own, after the streamed answer)
        // The second prompt carries the first exchange (AiServices memory): more prompt tokens than the first.
        Matcher usage = Pattern.compile("(?m)^\\((\\d+) prompt tokens, (\\d+) answer tokens").matcher(out);
        assertTrue(usage.find(), out);
        int first = Integer.parseInt(usage.group(1));
        assertTrue(usage.find(), out);
        int second = Integer.parseInt(usage.group(1));
        assertTrue(second > first, out);
    }

    /**
     * With a model folder and a device (as a user runs it): that model, on that device, and no random-weights notice;
     * with the folder alone, the device is auto.
     */
    @Test
    void runsOnTheModelFolderAndDeviceItIsGiven() throws Exception {
        java.nio.file.Path folder = StreamingChatSample.synthesizeTinyModel();
        String out = SampleOutput.of(StreamingChatSample::main, folder.toString(), "cpu");
        assertTrue(!out.contains("random weights"), out);
        assertTrue(!out.contains("device auto"), "the device asked for, not auto: " + out);
        assertEquals(2, out.split("助手: ", -1).length - 1, out);

        String folderOnly = SampleOutput.of(StreamingChatSample::main, folder.toString());
        assertTrue(!folderOnly.contains("random weights") && folderOnly.contains("device auto"), folderOnly);
    }

}
