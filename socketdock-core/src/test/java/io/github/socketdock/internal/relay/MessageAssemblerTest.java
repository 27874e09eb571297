package io.github.socketdock.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aOneFragmentTextMessageIsItsUtf8Size() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        assertThat(a.addText(utf8("hello é"), true)).isEqualTo(8);
        assertThat(a.finishText().text()).isEqualTo("hello é");
    }

    @Test
    void fragmentsAreJoinedInOrderAndEachMessageStartsEmpty() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        a.addText(utf8("one "), false);
        a.addText(utf8("two "), false);
        a.addText(utf8("three"), true);
        assertThat(a.size()).isEqualTo(13);
        assertThat(a.finishText().text()).isEqualTo("one two three");
        a.addText(utf8("next"), true);
        assertThat(a.finishText().text()).isEqualTo("next");
        assertThat(a.finishText().text()).isEmpty();
    }

    @Test
    void aCharacterMaySpanFragments() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        byte[] b = "a€😀".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            a.addText(ByteBuffer.wrap(b, i, 1), i == b.length - 1);
        }
        assertThat(a.finishText().text()).isEqualTo("a€😀");
    }

    @Test
    void textThatIsNotUtf8IsRefusedAtTheFragmentThatBreaksIt() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        a.addText(utf8("fine so far "), false);
        assertThatThrownBy(() -> a.addText(ByteBuffer.wrap(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), false))
                .isInstanceOf(MessageAssembler.NotUtf8.class)
                .satisfies(e -> assertThat(((MessageAssembler.Refused) e).status().code()).isEqualTo(1007));
        a.discard();
        // a character cut off by the message's end is refused too
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> a.addText(ByteBuffer.wrap(Arrays.copyOf(euro, 2)), true))
                .isInstanceOf(MessageAssembler.NotUtf8.class);
        a.discard();
        a.addText(utf8("ok"), true);
        assertThat(a.finishText().text()).isEqualTo("ok");
    }

    @Test
    void aTextMessageOverTheMaximumIsRefusedAcrossFragments() throws Exception {
        MessageAssembler a = new MessageAssembler(10);
        a.addText(utf8("12345"), false);
        assertThatThrownBy(() -> a.addText(utf8("678901"), true)).isInstanceOf(MessageAssembler.TooBig.class)
                .satisfies(e -> assertThat(((MessageAssembler.Refused) e).status().code()).isEqualTo(1009));
        assertThat(a.discard()).isEqualTo(5);
        a.addText(utf8("short"), true);
        assertThat(a.finishText().text()).isEqualTo("short");
    }
}
