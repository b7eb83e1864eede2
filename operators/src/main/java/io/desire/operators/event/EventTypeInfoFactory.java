package io.desire.operators.event;

import io.desire.features.event.Event;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Gives {@link Event} its {@link EventTypeInfo} wherever Flink extracts a type (operator outputs,
 * fields of other POJOs such as {@code UserSignal.event}). {@code Event} lives in the Flink-free
 * {@code features} module, so it cannot carry {@code @TypeInfo}; the jobs register this factory with
 * Flink's type extractor when they build their environment ({@code JobEnvironment}).
 */
public class EventTypeInfoFactory extends TypeInfoFactory<Event> {

    @Override
    public TypeInformation<Event> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return EventTypeInfo.INSTANCE;
    }
}
