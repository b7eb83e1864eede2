package io.desire.operators.state;

import io.desire.features.profile.UserProfile;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class UserProfileSerializerTest extends CompactSerializerContract<UserProfile> {
    @Override
    protected TypeSerializer<UserProfile> createSerializer() {
        return UserProfileSerializer.INSTANCE;
    }

    @Override
    protected Class<UserProfile> getTypeClass() {
        return UserProfile.class;
    }

    @Override
    protected UserProfile[] getTestData() {
        return StateSamples.profiles();
    }
}
