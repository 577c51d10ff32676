/// Defines a struct of the API (a "record") and everything that makes it
/// keep what the server sent: serde impls that keep the fields this client
/// does not know, write back a field that arrived as `null` or as an empty
/// list as it arrived, and accept `"true"`/`"false"` for a boolean and a
/// string of digits for an integer; `Debug`; and the `with_*` setters.
///
/// Each field is `kind codec name: Type = "wire name" => setter;`, where
/// `kind` is `required` (the field is `Type`), `optional` (the field is
/// `Option<Type>`, absent or `null` is `None`) or `many` (a list or map that
/// is empty when absent), and `codec` is `plain` or `lenient`.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $codec:ident $field:ident: $ty:ty = $wire:literal => $(#[$smeta:meta])* $setter:ident;
            )*
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        pub struct $name {
            $($(#[$fmeta])* pub $field: record_type!($kind $ty),)*
            __wire: wire::Wire,
        }
        #[allow(deprecated)]
        impl $name {
            $(
                #[doc = concat!("Sets `", stringify!($field), "`.")]
                $(#[$smeta])*
                pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.$field = record_put!($kind value.into());
                    self
                }
            )*
            /// The fields of the JSON object that this type does not
            /// declare (added to the API after the client was generated),
            /// as the server sent them.
            pub fn unknown_fields(&self) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
                self.__wire.unknown()
            }
            /// The undeclared fields, to change: what is inserted here is
            /// sent with the declared fields (a key of a declared field is
            /// not written twice: the declared field wins).
            pub fn unknown_fields_mut(&mut self) -> &mut ::serde_json::Map<::std::string::String, ::serde_json::Value> {
                self.__wire.unknown_mut()
            }
        }
        #[allow(deprecated)]
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut out = f.debug_struct(stringify!($name));
                $(out.field(stringify!($field), &self.$field);)*
                if !self.__wire.unknown().is_empty() {
                    out.field("unknown_fields", self.__wire.unknown());
                }
                out.finish()
            }
        }
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(record_write!($kind map, &self.$field, $wire, &self.__wire);)*
                self.__wire.write_unknown(&mut map, |key| match key {
                    $($wire => true,)*
                    _ => false,
                })?;
                map.end()
            }
        }
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field: ::std::option::Option<record_type!($kind $ty)> = None;)*
                        let mut kept = wire::Wire::default();
                        while let Some(key) = map.next_key::<wire::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => wire::take::<_, wire::$codec, _>(&mut map, &mut $field, $wire)?,)*
                                _ => kept.keep(key, &mut map)?,
                            }
                        }
                        Ok($name {
                            $($field: record_finish!($kind $field, $wire, kept),)*
                            __wire: kept,
                        })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    };
}

/// The type of a field of `kind` declared as `Type`.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! record_type {
    (optional $ty:ty) => { ::std::option::Option<$ty> };
    (required $ty:ty) => { $ty };
    (many $ty:ty) => { $ty };
}

/// A setter's value as the field holds it.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! record_put {
    (optional $value:expr) => { ::std::option::Option::Some($value) };
    (required $value:expr) => { $value };
    (many $value:expr) => { $value };
}

/// A decoded field from its slot (`None`: absent), noting in `kept` an
/// optional field that arrived as `null` and a list that arrived empty.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! record_finish {
    (optional $slot:ident, $wire:literal, $kept:ident) => {
        match $slot {
            ::std::option::Option::Some(::std::option::Option::None) => {
                $kept.mark($wire);
                ::std::option::Option::None
            }
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => ::std::option::Option::None,
        }
    };
    (required $slot:ident, $wire:literal, $kept:ident) => {
        match $slot {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => {
                return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::missing_field($wire))
            }
        }
    };
    (many $slot:ident, $wire:literal, $kept:ident) => {
        match $slot {
            ::std::option::Option::Some(value) => {
                if value.is_empty() {
                    $kept.mark($wire);
                }
                value
            }
            ::std::option::Option::None => ::std::default::Default::default(),
        }
    };
}

/// Writes a field unless it is absent: `None` that did not arrive as
/// `null`, or an empty list that did not arrive as `[]`.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! record_write {
    (optional $map:ident, $value:expr, $wire:literal, $kept:expr) => {
        match $value {
            ::std::option::Option::Some(value) => $map.serialize_entry($wire, value)?,
            ::std::option::Option::None if $kept.marked($wire) => $map.serialize_entry($wire, &())?,
            ::std::option::Option::None => {}
        }
    };
    (required $map:ident, $value:expr, $wire:literal, $kept:expr) => {
        $map.serialize_entry($wire, $value)?
    };
    (many $map:ident, $value:expr, $wire:literal, $kept:expr) => {
        if !$value.is_empty() || $kept.marked($wire) {
            $map.serialize_entry($wire, $value)?
        }
    };
}

/// The support of `record!`: what a record keeps beyond its fields, the
/// object key, and the tolerant decoding of booleans and integers.
#[allow(dead_code)]
mod wire {
    use ::serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
    use ::serde::ser::SerializeMap;
    use ::std::fmt;
    use ::std::marker::PhantomData;
    use ::std::string::String;

    type Object = ::serde_json::Map<String, ::serde_json::Value>;

    /// What a record keeps beyond its fields; nothing (one null pointer)
    /// for a value that arrived with no undeclared field, no `null` and no
    /// empty list, or that was built in code.
    #[derive(Clone, Default)]
    pub struct Wire(Option<Box<Kept>>);

    #[derive(Clone, Default)]
    struct Kept {
        unknown: Object,
        /// Wire names of the optional fields that arrived as `null` and the
        /// lists that arrived empty.
        marked: Vec<&'static str>,
    }

    impl Wire {
        fn kept(&mut self) -> &mut Kept {
            self.0.get_or_insert_with(Default::default)
        }

        pub fn unknown(&self) -> &Object {
            static EMPTY: ::std::sync::LazyLock<Object> = ::std::sync::LazyLock::new(Object::new);
            match &self.0 {
                Some(kept) => &kept.unknown,
                None => &EMPTY,
            }
        }

        pub fn unknown_mut(&mut self) -> &mut Object {
            &mut self.kept().unknown
        }

        pub fn mark(&mut self, wire: &'static str) {
            self.kept().marked.push(wire);
        }

        pub fn marked(&self, wire: &str) -> bool {
            self.0.as_ref().is_some_and(|kept| kept.marked.contains(&wire))
        }

        /// Keeps an undeclared field; a key that comes twice is an error, as
        /// it is for a declared field.
        pub fn keep<'de, A: MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
            let value: ::serde_json::Value = map.next_value()?;
            let unknown = &mut self.kept().unknown;
            let key = key.into_owned();
            if unknown.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            unknown.insert(key, value);
            Ok(())
        }

        /// Writes the undeclared fields, except those whose key a declared
        /// field has.
        pub fn write_unknown<M: SerializeMap>(&self, map: &mut M, declared: fn(&str) -> bool) -> Result<(), M::Error> {
            if let Some(kept) = &self.0 {
                for (key, value) in &kept.unknown {
                    if !declared(key) {
                        map.serialize_entry(key, value)?;
                    }
                }
            }
            Ok(())
        }
    }

    /// Undeclared fields are data; how declared ones were spelled on the
    /// wire (`null` or absent) is not.
    impl PartialEq for Wire {
        fn eq(&self, other: &Self) -> bool {
            self.unknown() == other.unknown()
        }
    }

    impl Eq for Wire {}

    impl fmt::Debug for Wire {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(self.unknown(), f)
        }
    }

    /// An object key, borrowed from the input when it can be.
    pub enum Key<'de> {
        Borrowed(&'de str),
        Owned(String),
    }

    impl Key<'_> {
        pub fn as_str(&self) -> &str {
            match self {
                Key::Borrowed(key) => key,
                Key::Owned(key) => key,
            }
        }

        fn into_owned(self) -> String {
            match self {
                Key::Borrowed(key) => key.to_owned(),
                Key::Owned(key) => key,
            }
        }
    }

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeyVisitor;
            impl<'de> Visitor<'de> for KeyVisitor {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key::Borrowed(key))
                }
                fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key.to_owned()))
                }
                fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                    Ok(Key::Owned(key))
                }
            }
            deserializer.deserialize_str(KeyVisitor)
        }
    }

    /// Decodes the value of the field `wire` into its empty slot.
    #[inline]
    pub fn take<'de, T, C: Codec<'de, T>, A: MapAccess<'de>>(
        map: &mut A,
        slot: &mut Option<T>,
        wire: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(wire));
        }
        *slot = Some(map.next_value_seed(Seed::<T, C>(PhantomData))?);
        Ok(())
    }

    /// How a field's value is decoded.
    pub trait Codec<'de, T> {
        fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
    }

    /// The value's own `Deserialize`.
    #[allow(non_camel_case_types)]
    pub enum plain {}

    impl<'de, T: Deserialize<'de>> Codec<'de, T> for plain {
        #[inline]
        fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
            T::deserialize(deserializer)
        }
    }

    /// A boolean that may also arrive as `"true"`/`"false"`, an integer that
    /// may also arrive as a string of digits (sign allowed, range-checked),
    /// or an `Option` of either. Nothing else is accepted.
    #[allow(non_camel_case_types)]
    pub enum lenient {}

    impl<'de, T: Lenient<'de>> Codec<'de, T> for lenient {
        #[inline]
        fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
            T::decode_lenient(deserializer)
        }
    }

    pub trait Lenient<'de>: Sized {
        fn decode_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    }

    struct Seed<T, C>(PhantomData<fn() -> (T, C)>);

    impl<'de, T, C: Codec<'de, T>> DeserializeSeed<'de> for Seed<T, C> {
        type Value = T;
        #[inline]
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
            C::decode(deserializer)
        }
    }

    impl<'de, T: Lenient<'de>> Lenient<'de> for Option<T> {
        fn decode_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct OptionVisitor<T>(PhantomData<fn() -> T>);
            impl<'de, T: Lenient<'de>> Visitor<'de> for OptionVisitor<T> {
                type Value = Option<T>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a value or null")
                }
                fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
                    T::decode_lenient(deserializer).map(Some)
                }
            }
            deserializer.deserialize_option(OptionVisitor(PhantomData))
        }
    }

    impl<'de> Lenient<'de> for bool {
        fn decode_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct BoolVisitor;
            impl Visitor<'_> for BoolVisitor {
                type Value = bool;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a boolean, or \"true\" or \"false\"")
                }
                fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
                    Ok(value)
                }
                fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
                    match value {
                        "true" => Ok(true),
                        "false" => Ok(false),
                        other => Err(de::Error::invalid_value(de::Unexpected::Str(other), &self)),
                    }
                }
            }
            deserializer.deserialize_any(BoolVisitor)
        }
    }

    struct IntVisitor<T>(PhantomData<fn() -> T>);

    impl<T: TryFrom<i128>> IntVisitor<T> {
        fn fit<E: de::Error>(value: i128, unexpected: de::Unexpected<'_>) -> Result<T, E> {
            T::try_from(value).map_err(|_| de::Error::invalid_value(unexpected, &"an integer in range"))
        }
    }

    impl<T: TryFrom<i128>> Visitor<'_> for IntVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer, or a string of digits")
        }
        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            Self::fit(value.into(), de::Unexpected::Signed(value))
        }
        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            Self::fit(value.into(), de::Unexpected::Unsigned(value))
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            // i128's parser takes an optional sign and ASCII digits only.
            let parsed = value
                .parse::<i128>()
                .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(value), &self))?;
            Self::fit(parsed, de::Unexpected::Str(value))
        }
    }

    macro_rules! lenient_integers {
        ($($int:ty),*) => {$(
            impl<'de> Lenient<'de> for $int {
                fn decode_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserializer.deserialize_any(IntVisitor::<$int>(PhantomData))
                }
            }
        )*};
    }

    lenient_integers!(i8, i16, i32, i64, u8, u16, u32, u64);

    macro_rules! lenient_non_zero {
        ($($int:ty => $prim:ty),*) => {$(
            impl<'de> Lenient<'de> for $int {
                fn decode_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <$prim as Lenient<'de>>::decode_lenient(deserializer)?;
                    <$int>::new(value).ok_or_else(|| de::Error::invalid_value(de::Unexpected::Unsigned(0), &"a non-zero integer"))
                }
            }
        )*};
    }

    lenient_non_zero!(
        ::std::num::NonZeroU64 => u64,
        ::std::num::NonZeroU32 => u32,
        ::std::num::NonZeroI64 => i64
    );
}
