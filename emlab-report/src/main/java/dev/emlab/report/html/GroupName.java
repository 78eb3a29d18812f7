package dev.emlab.report.html;

/**
 * What a group's name says by emlab's conventions: {@code COND@STEP} is a training checkpoint,
 * {@code NAME+trigger} the triggered arm of a backdoor comparison.
 */
record GroupName(String condition, Integer step, boolean triggered) {
    static final String TRIGGER_SUFFIX = "+trigger";

    static GroupName parse(String group) {
        int at = group.lastIndexOf('@');
        if (at > 0 && at < group.length() - 1 && group.substring(at + 1).chars().allMatch(Character::isDigit)
                && group.length() - at <= 10) {
            return new GroupName(group.substring(0, at), Integer.parseInt(group.substring(at + 1)), false);
        }
        if (group.endsWith(TRIGGER_SUFFIX) && group.length() > TRIGGER_SUFFIX.length()) {
            return new GroupName(group.substring(0, group.length() - TRIGGER_SUFFIX.length()), null, true);
        }
        return new GroupName(group, null, false);
    }

    boolean isCheckpoint() {
        return step != null;
    }
}
