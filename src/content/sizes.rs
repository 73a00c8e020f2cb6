//! `soc2.sample_sizes` values: a fixed size per frequency, or sizes scaled to the population
//! (`by-population`, optionally with a choice inside each practitioner range).

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// A population band whose sample size is a range to choose in (`soc2-sampling.md` §1.2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Band {
    /// 5 to 12 items: 2 to 5.
    #[serde(rename = "5-12")]
    From5To12,
    /// 13 to 52 items: 5 to 15.
    #[serde(rename = "13-52")]
    From13To52,
    /// More than 365 items: 25 to 60.
    #[serde(rename = "over-365")]
    Over365,
}

impl Band {
    /// Every band with a range, smallest population first.
    pub const ALL: [Band; 3] = [Band::From5To12, Band::From13To52, Band::Over365];

    /// The key used in pack.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::From5To12 => "5-12",
            Band::From13To52 => "13-52",
            Band::Over365 => "over-365",
        }
    }

    /// The smallest and largest size allowed, and the default (the size of the frequency row
    /// the band corresponds to: monthly 2, weekly 5, daily 25).
    pub fn range(self) -> (u32, u32, u32) {
        match self {
            Band::From5To12 => (2, 5, 2),
            Band::From13To52 => (5, 15, 5),
            Band::Over365 => (25, 60, 25),
        }
    }
}

/// One value of `soc2.sample_sizes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SizeSetting {
    /// A fixed size for the frequency (`daily: 30`).
    Fixed(u32),
    /// Sizes scaled to the population (`on-event: by-population`, or a map of band choices
    /// `on-event: { 13-52: 10, over-365: 40 }`); only for on-event and manual continuous
    /// controls.
    ByPopulation(std::collections::BTreeMap<Band, u32>),
}

impl<'de> Deserialize<'de> for SizeSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SizeSetting;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a sample size, `by-population`, or a map of population bands (5-12, 13-52, \
                     over-365) to sizes",
                )
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SizeSetting, E> {
                u32::try_from(v)
                    .map(SizeSetting::Fixed)
                    .map_err(|_| E::custom(format!("sample size {v} is too large")))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SizeSetting, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("sample size {v} is negative")))
                    .and_then(|v| self.visit_u64(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SizeSetting, E> {
                if v == "by-population" {
                    Ok(SizeSetting::ByPopulation(Default::default()))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }

            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<SizeSetting, A::Error> {
                let mut out = std::collections::BTreeMap::new();
                while let Some((band, size)) = m.next_entry::<Band, u32>()? {
                    out.insert(band, size);
                }
                Ok(SizeSetting::ByPopulation(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The schema of what [`SizeSetting`]'s hand-written `Deserialize` accepts.
impl JsonSchema for SizeSetting {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SizeSetting".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let band = generator.subschema_for::<Band>();
        schemars::json_schema!({
            "description": "A sample size, `by-population`, or population bands (5-12, 13-52, over-365) to sizes.",
            "anyOf": [
                { "type": "integer", "minimum": 0 },
                { "const": "by-population" },
                {
                    "type": "object",
                    "propertyNames": band,
                    "additionalProperties": { "type": "integer", "minimum": 0 }
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn values_parse_as_fixed_by_population_or_band_choices() {
        let m: BTreeMap<String, SizeSetting> = serde_yaml_ng::from_str(
            "daily: 30\non-event: by-population\ncontinuous: { 13-52: 10, over-365: 40 }\n",
        )
        .unwrap();
        assert_eq!(m["daily"], SizeSetting::Fixed(30));
        assert_eq!(m["on-event"], SizeSetting::ByPopulation(BTreeMap::new()));
        assert_eq!(
            m["continuous"],
            SizeSetting::ByPopulation(BTreeMap::from([
                (Band::From13To52, 10),
                (Band::Over365, 40)
            ]))
        );
        for bad in ["daily: many\n", "daily: -1\n", "daily: { 1-4: 2 }\n"] {
            assert!(
                serde_yaml_ng::from_str::<BTreeMap<String, SizeSetting>>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
