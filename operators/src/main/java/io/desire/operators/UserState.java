package io.desire.operators;

import io.desire.features.profile.UserProfile;

/**
 * Everything {@link UserRecommender} keeps per user, in one value so an event costs one state read
 * and one write: the profile and the user's contexts. A Flink POJO.
 */
public class UserState {
    public UserProfile profile = new UserProfile();
    public UserContexts contexts = new UserContexts();

    public UserState() {}
}
