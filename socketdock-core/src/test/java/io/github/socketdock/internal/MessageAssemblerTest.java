package io.github.socketdock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    @Test
    void aOneFragmentTextMessageIsTheFragmentItselfNotACopy() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        String fragment = "hello é";
        assertThat(a.addText(fragment)).isEqualTo(8);
        assertThat(a.finishText().text()).isSameAs(fragment);
    }

    @Test
    void fragmentsAreJoinedInOrderAndEachMessageStartsEmpty() throws Exception {
        MessageAssembler a = new MessageAssembler(1024);
        a.addText("one ");
        a.addText("two ");
        a.addText("three");
        assertThat(a.size()).isEqualTo(13);
        assertThat(a.finishText().text()).isEqualTo("one two three");
        a.addText("next");
        assertThat(a.finishText().text()).isEqualTo("next");
        assertThat(a.finishText().text()).isEmpty();
    }

    @Test
    void aTextMessageOverTheMaximumIsRefusedAcrossFragments() throws Exception {
        MessageAssembler a = new MessageAssembler(10);
        a.addText("12345");
        assertThatThrownBy(() -> a.addText("678901")).isInstanceOf(MessageAssembler.TooBig.class);
        assertThat(a.discard()).isEqualTo(5);
        a.addText("short");
        assertThat(a.finishText().text()).isEqualTo("short");
    }
}
