// Named constants of the Windows structures: reservation constants (scsi.h; layouts.md §1 "Reservation
// constants") and band-management constants (ehstorbandmgmt.h; layouts.md §2 "Band management constants").
// Each set is also exported as a Record so the layout declarations can give their fields an enum or flags
// role, from which the fuzz generators draw valid values (STYLE.md "Fuzzing practice").

// ---- §1 reservation constants (scsi.h) ----

/** PERSISTENT RESERVE IN service actions (PERSISTENT_RESERVE_COMMAND.PR_IN.ServiceAction). */
export const RESERVATION_ACTION_READ_KEYS = 0x00;
export const RESERVATION_ACTION_READ_RESERVATIONS = 0x01;
/** SDK 10.0.22000 only; the class driver rejects it (class-driver.md §8). */
export const RESERVATION_ACTION_REPORT_CAPABILITIES = 0x02;
/** SDK 10.0.22000 only; the class driver rejects it (class-driver.md §8). */
export const RESERVATION_ACTION_READ_FULL_STATUS = 0x03;

/** PERSISTENT RESERVE OUT service actions (PERSISTENT_RESERVE_COMMAND.PR_OUT.ServiceAction). */
export const RESERVATION_ACTION_REGISTER = 0x00;
export const RESERVATION_ACTION_RESERVE = 0x01;
export const RESERVATION_ACTION_RELEASE = 0x02;
export const RESERVATION_ACTION_CLEAR = 0x03;
export const RESERVATION_ACTION_PREEMPT = 0x04;
export const RESERVATION_ACTION_PREEMPT_ABORT = 0x05;
export const RESERVATION_ACTION_REGISTER_IGNORE_EXISTING = 0x06;
/** SDK 10.0.22000 only. */
export const RESERVATION_ACTION_REGISTER_AND_MOVE = 0x07;
/** SDK 10.0.22000 only. */
export const RESERVATION_ACTION_REPLACE_LOST_RESERVATION = 0x08;

export const RESERVATION_SCOPE_LU = 0x00;
/** Obsolete in SPC-4; the device rejects it (persistent-reservations.md §4.1 check 7). */
export const RESERVATION_SCOPE_ELEMENT = 0x02;

export const RESERVATION_TYPE_WRITE_EXCLUSIVE = 0x01;
export const RESERVATION_TYPE_EXCLUSIVE = 0x03;
export const RESERVATION_TYPE_WRITE_EXCLUSIVE_REGISTRANTS = 0x05;
export const RESERVATION_TYPE_EXCLUSIVE_REGISTRANTS = 0x06;
/** SDK 10.0.22000 only. */
export const RESERVATION_TYPE_WRITE_EXCLUSIVE_ALL_REGISTRANTS = 0x07;
/** SDK 10.0.22000 only. */
export const RESERVATION_TYPE_EXCLUSIVE_ALL_REGISTRANTS = 0x08;

export const PR_IN_SERVICE_ACTIONS = {
  RESERVATION_ACTION_READ_KEYS,
  RESERVATION_ACTION_READ_RESERVATIONS,
  RESERVATION_ACTION_REPORT_CAPABILITIES,
  RESERVATION_ACTION_READ_FULL_STATUS,
} as const;

export const PR_OUT_SERVICE_ACTIONS = {
  RESERVATION_ACTION_REGISTER,
  RESERVATION_ACTION_RESERVE,
  RESERVATION_ACTION_RELEASE,
  RESERVATION_ACTION_CLEAR,
  RESERVATION_ACTION_PREEMPT,
  RESERVATION_ACTION_PREEMPT_ABORT,
  RESERVATION_ACTION_REGISTER_IGNORE_EXISTING,
  RESERVATION_ACTION_REGISTER_AND_MOVE,
  RESERVATION_ACTION_REPLACE_LOST_RESERVATION,
} as const;

export const RESERVATION_SCOPES = { RESERVATION_SCOPE_LU, RESERVATION_SCOPE_ELEMENT } as const;

export const RESERVATION_TYPES = {
  RESERVATION_TYPE_WRITE_EXCLUSIVE,
  RESERVATION_TYPE_EXCLUSIVE,
  RESERVATION_TYPE_WRITE_EXCLUSIVE_REGISTRANTS,
  RESERVATION_TYPE_EXCLUSIVE_REGISTRANTS,
  RESERVATION_TYPE_WRITE_EXCLUSIVE_ALL_REGISTRANTS,
  RESERVATION_TYPE_EXCLUSIVE_ALL_REGISTRANTS,
} as const;

// ---- §2 band-management constants (ehstorbandmgmt.h) ----

/** BAND_MANAGEMENT_CAPABILITIES.Capabilities */
export const CAPS_ACTIVATED = 0x00000001;
export const CAPS_BANDCROSSING_SUPPORTED = 0x00000002;
export const CAPS_SID_SECURED = 0x00000004;
export const CAPS_FLAGS = { CAPS_ACTIVATED, CAPS_BANDCROSSING_SUPPORTED, CAPS_SID_SECURED } as const;

/** BAND_MANAGEMENT_CAPABILITIES.KeyProtectionMechanism (a ULONGLONG; 0 = none) */
export const MEDIAKEY_PROTECTEDBY_VENDORSCHEME = 0x1; // documented as unsupported
export const MEDIAKEY_PROTECTEDBY_AUTHKEY = 0x2;
export const MEDIAKEY_PROTECTEDBY = { MEDIAKEY_PROTECTEDBY_VENDORSCHEME, MEDIAKEY_PROTECTEDBY_AUTHKEY } as const;

/** ACTIVATE_REVERT_PARAMETERS.Flags for ACTIVATE */
export const ACTIVATE_DISABLE_SID = 0x00000001;
export const ACTIVATE_IGNORE_POLICY = 0x00000002;
export const ACTIVATE_FLAGS = { ACTIVATE_DISABLE_SID, ACTIVATE_IGNORE_POLICY } as const;

/** ACTIVATE_REVERT_PARAMETERS.Flags for REVERT */
export const REVERT_PSID_AUTHKEY = 0x00000001;
export const REVERT_FLAGS = { REVERT_PSID_AUTHKEY } as const;

/**
 * One structure serves ACTIVATE and REVERT, so its Flags role is the union of both sets (band-management.md
 * §3 table "Flags allowed": 0x3 for ACTIVATE, 0x1 for REVERT). REVERT_PSID_AUTHKEY shares bit 0 with ACTIVATE_DISABLE_SID.
 */
export const ACTIVATE_REVERT_FLAGS = { ...ACTIVATE_FLAGS, ...REVERT_FLAGS } as const;

/** "special key offset value for no key or default key" (band-management.md D4) */
export const EHSTOR_BANDMGR_NO_KEY = 0;

export const ENUMBANDS_ENUM_ALL_BANDS = 0x00000001;
export const ENUMBANDS_REPORT_CRYPTO_ALGO = 0x00000002;
export const ENUMBANDS_FLAGS = { ENUMBANDS_ENUM_ALL_BANDS, ENUMBANDS_REPORT_CRYPTO_ALGO } as const;

export const CREATEBAND_AUTHKEY_CACHING_ENABLED = 0x00000001;
export const CREATEBAND_FLAGS = { CREATEBAND_AUTHKEY_CACHING_ENABLED } as const;

export const SETBANDSEC_AUTHKEY_CACHING_ENABLED = 0x00000001;
export const SETBANDSEC_FLAGS = { SETBANDSEC_AUTHKEY_CACHING_ENABLED } as const;

/** Prefix DELBAND_, not DELETEBAND_ (layouts.md §2). */
export const DELBAND_ERASE_BEFORE_DELETE = 0x00000001;
export const DELBAND_FLAGS = { DELBAND_ERASE_BEFORE_DELETE } as const;

export const ERASEBAND_AUTHKEY_CACHING_ENABLED = 0x00000001;
export const ERASEBAND_FLAGS = { ERASEBAND_AUTHKEY_CACHING_ENABLED } as const;

/** LOCKSTATE: an anonymous 4-byte enum (BAND_SECURITY_INFO.ReadLock / WriteLock). */
export const INVALID_LOCK_STATE = 0;
export const PERSISTENT_UNLOCK = 1;
export const NONPERSISTENT_UNLOCK = 2;
export const PERSISTENT_LOCK = 3;
export const LOCKSTATE = { INVALID_LOCK_STATE, PERSISTENT_UNLOCK, NONPERSISTENT_UNLOCK, PERSISTENT_LOCK } as const;

/** ALGOIDTYPE (BAND_SECURITY_INFO.CryptoAlgoIdType; must be 0 on input). */
export const AlgoIdTypeInvalid = 0;
export const AlgoIdTypeOidString = 1;
export const AlgoIdTypeNumeric = 2;
export const ALGOIDTYPE = { AlgoIdTypeInvalid, AlgoIdTypeOidString, AlgoIdTypeNumeric } as const;

// SDK 10.0.10240-10.0.16299 only (10.0.22000 dropped them); no structure field refers to them.
export const ALGO_AES_128_MASK = 0x00010000;
export const ALGO_AES_256_MASK = 0x00020000;
export const ALGO_MODE_MASK = 0x0000ffff;
export const ALGO_MODE_ECB = 0x0;
export const ALGO_MODE_CBC = 0x1;
export const ALGO_MODE_CFB = 0x2;
export const ALGO_MODE_OFB = 0x3;
export const ALGO_MODE_GCM = 0x4;
export const ALGO_MODE_CTR = 0x5;
export const ALGO_MODE_CCM = 0x6;
export const ALGO_MODE_XTS = 0x7;
export const ALGO_MODE_LRW = 0x8;
export const ALGO_MODE_EME = 0x9;
export const ALGO_MODE_CMC = 0xa;
export const ALGO_MODE_XEX = 0xb;
export const ALGO_MODES = {
  ALGO_MODE_ECB, ALGO_MODE_CBC, ALGO_MODE_CFB, ALGO_MODE_OFB, ALGO_MODE_GCM, ALGO_MODE_CTR,
  ALGO_MODE_CCM, ALGO_MODE_XTS, ALGO_MODE_LRW, ALGO_MODE_EME, ALGO_MODE_CMC, ALGO_MODE_XEX,
} as const;
