// Kafka topic and Connect schema names for a table, as Debezium's
// DefaultTopicNamingStrategy builds them.

#ifndef TRACKOPS_EVENT_TOPIC_H_
#define TRACKOPS_EVENT_TOPIC_H_

#include <string>
#include <string_view>

namespace trackops::event {

// Longest topic name Debezium produces (TopicNamingStrategy.MAX_NAME_LENGTH),
// counted in UTF-16 code units as Java does.
inline constexpr size_t kMaxTopicNameLength = 249;

// Replaces every character outside [A-Za-z0-9._-] with '_' (one '_' per UTF-16
// code unit: two for a character outside the Basic Multilingual Plane), cuts
// the result to 249 units and turns "." / ".." into "_" / "__". Input is UTF-8;
// a byte that does not start a valid sequence counts as one character.
std::string SanitizeTopicName(std::string_view name);

// "<prefix>.<schema>.<table>", blank parts (empty or only characters <= ' ')
// left out, then sanitized. Also the prefix of the table's schema names:
// "<topic>.Key", "<topic>.Value", "<topic>.Envelope".
std::string DataChangeTopic(std::string_view prefix, std::string_view schema_name,
                            std::string_view table_name);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_TOPIC_H_
