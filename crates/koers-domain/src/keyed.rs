//! Enums whose variants are stored and sent as fixed keys (`"planned"`, `"done"`, …).

/// Declares an enum with `ALL`, `key()` and `parse()`; the keys are the database and API values.
#[macro_export]
macro_rules! keyed_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($key => Some($name::$variant),)+ _ => None }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    keyed_enum! {
        enum Colour { Red = "red", Blue = "blue" }
    }

    #[test]
    fn keys_round_trip_and_unknown_keys_are_refused() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.key()), Some(*c));
        }
        assert_eq!(Colour::parse(" blue "), Some(Colour::Blue));
        assert_eq!(Colour::parse("green"), None);
        assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), "\"red\"");
    }
}
