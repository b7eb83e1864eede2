package io.desire.features.data;

/**
 * A train / validation / test partition of one {@link InteractionTable}. The three parts are
 * disjoint, together hold every row of the source, and share its dictionaries. {@code description}
 * names the scheme and its parameters so reports can say which split they used.
 */
public record Split(InteractionTable train, InteractionTable validation, InteractionTable test, String description) {

    public Split {
        if (train.users() != validation.users()
                || train.users() != test.users()
                || train.items() != validation.items()
                || train.items() != test.items()) {
            throw new IllegalArgumentException("split parts must share the source's dictionaries");
        }
    }

    public int totalSize() {
        return train.size() + validation.size() + test.size();
    }
}
