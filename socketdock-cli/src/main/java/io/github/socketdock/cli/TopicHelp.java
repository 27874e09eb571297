package io.github.socketdock.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Renders {@code --help}'s option list by topic: first the command's own options (and
 * {@code --help}, {@code --version}) under "General", then the options of each {@code @Mixin}
 * under a heading that is the mixin's name ({@code @Mixin(name = "Listening")}), in the order the
 * mixins are declared; then any {@code @ArgGroup} with a heading, as picocli renders it. Options
 * keep their declaration order and picocli's usual layout, defaults included.
 */
final class TopicHelp implements IHelpSectionRenderer {

    /** The heading of the command's own options. */
    static final String GENERAL = "General";

    /**
     * Installs the renderer on a command line.
     *
     * @param cl the command line whose help to render by topic
     * @return {@code cl}
     */
    static CommandLine install(CommandLine cl) {
        Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new TopicHelp());
        return cl;
    }

    @Override
    public String render(Help help) {
        CommandSpec spec = help.commandSpec();
        List<OptionSpec> general = new ArrayList<>(spec.options());
        StringBuilder topics = new StringBuilder();
        spec.mixins().forEach((name, mixin) -> {
            if (!mixin.options().stream().allMatch(o -> o.usageHelp() || o.versionHelp())) { // not --help, --version
                general.removeAll(mixin.options());
                topics.append(help.createHeading("%n" + name + ":%n"))
                        .append(help.optionListExcludingGroups(mixin.options()));
            }
        });
        general.removeIf(option -> option.group() != null); // an @ArgGroup with a heading renders itself, below
        return help.createHeading("%n" + GENERAL + ":%n") + help.optionListExcludingGroups(general) + topics
                + help.optionListGroupSections();
    }
}
