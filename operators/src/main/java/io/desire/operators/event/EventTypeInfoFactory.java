package io.desire.operators.event;

import io.desire.features.event.Event;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Gives {@link Event} its {@link EventTypeInfo} wherever Flink extracts a type (operator outputs,
 * fields of other POJOs such as {@code UserSignal.event}). {@code Event} lives in the Flink-free
 * {@code features} module, so it cannot carry {@code @TypeInfo}; the jobs register this factory
 * through {@code pipeline.serialization-config} instead ({@link #REGISTRATION}).
 */
public class EventTypeInfoFactory extends TypeInfoFactory<Event> {

    /** The {@code pipeline.serialization-config} entry that registers this factory. */
    public static final String REGISTRATION =
            Event.class.getName() + ": {type: typeinfo, class: " + EventTypeInfoFactory.class.getName() + "}";

    @Override
    public TypeInformation<Event> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return EventTypeInfo.INSTANCE;
    }
}
