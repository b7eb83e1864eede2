package io.desire.features.event;

/** Why a record was sent to dead-letter. The names are stable: dashboards and metrics use them. */
public enum RejectReason {
    /** Payload bytes are not valid UTF-8. */
    NOT_UTF8,
    /** Payload is larger than the configured size limit. */
    TOO_LARGE,
    /** Payload is empty or only whitespace. */
    EMPTY,
    /** Payload is not well-formed JSON. */
    NOT_JSON,
    /** Payload is JSON but not an object. */
    NOT_AN_OBJECT,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A required field is an empty or blank string. */
    EMPTY_FIELD,
    /** A field has the wrong JSON type (e.g. an object where a string is expected). */
    BAD_FIELD_TYPE,
    /** {@code type} is not part of the contract. */
    UNKNOWN_TYPE,
    /** {@code ts} cannot be parsed as ISO-8601 or epoch millis. */
    BAD_TIMESTAMP,
    /** {@code ts} is implausibly far in the past or the future. */
    TIMESTAMP_OUT_OF_RANGE,
    /** {@code lat}/{@code lon} outside [-90, 90] / [-180, 180], not numbers, or only one of them given. */
    BAD_COORDINATES,
    /** {@code geo} is not a valid geohash. */
    BAD_GEO,
    /** {@code tz} is not a known time zone id. */
    BAD_TIMEZONE,
    /** {@code value} (or {@code price}) is not a number. */
    NON_NUMERIC_VALUE,
    /** {@code value} is absurd: a rating outside the scale, a negative price, NaN or infinite. */
    VALUE_OUT_OF_RANGE,
    /** An id is longer than the configured limit. */
    ID_TOO_LONG,
    /** An id contains control characters. */
    ID_CONTROL_CHARS,
    /** Something other than whitespace follows the JSON object (e.g. two objects on one line). */
    TRAILING_GARBAGE,
    /** A field of the contract appears twice in the same object, so its value is ambiguous. */
    DUPLICATE_FIELD,
    /**
     * A custom context attribute ({@link ContextAttributes}) is unusable: its value is an object or an
     * array, its key or value is too long or holds a control character, its key is blank or a reserved
     * context key in another case, or the context has too many attributes.
     */
    BAD_CONTEXT_ATTRIBUTE,
    /** The parser failed unexpectedly on this record; a bug to report together with the raw bytes. */
    INTERNAL_ERROR
}
