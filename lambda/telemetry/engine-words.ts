/**
 * Words that browsers, not the app, put into error messages, stacks and reports (V8, SpiderMonkey, JavaScriptCore,
 * fetch, the DOM, React): they are in no bundle, yet a message needs them to be read. Matched case-sensitively, as
 * written in those messages; a capitalized given name ("Will", "Rose") is deliberately not here.
 */
const ENGINE_WORDS = `
  a an the of to in on at by for from with without as is are was were be been being has have had not no and or but
  if then else than this that these those it its which when while after before into onto over under up out off only
  all any each every some more most other same such own can could may might must shall should will would do does did
  done use used using via per both either neither nor yet already again once also just still too very

  The This That These An A It In On At For From With When While After Before If No Not Only All Some
  Cannot Can Could Failed Failure Unable Uncaught Unhandled Unexpected Uncaught Invalid Illegal Unknown Undefined
  Maximum Minimum Load Loading Script Importing Network Request Response Fetch Permission Access Blocked Refused
  Expected Missing Too Object Property Method Function Argument Value Type Reference Range Syntax Internal
  Error Exception Warning Note Deprecated Deprecation Intervention Crash Timeout Timed Aborted Abort Quota
  Navigation Resource Document Window Frame Element Node Event Promise Array String Number Boolean Symbol BigInt
  Map Set WeakMap WeakSet JSON Math Date RegExp Proxy Reflect Intl Atomics Uint8Array Int32Array Float64Array
  ArrayBuffer SharedArrayBuffer DataView Blob File FormData Headers URL URLSearchParams WebSocket Worker
  XMLHttpRequest HTMLElement HTMLDocument HTMLButtonElement HTMLInputElement HTMLFormElement HTMLAnchorElement
  HTMLDivElement HTMLImageElement HTMLScriptElement HTMLStyleElement HTMLIFrameElement Node Text Comment
  MutationObserver ResizeObserver IntersectionObserver PerformanceObserver AbortController AbortSignal
  Storage IndexedDB IDBDatabase IDBTransaction IDBRequest Cache CacheStorage ServiceWorker Notification
  Location History Navigator Screen Selection Range Image Audio Video Canvas WebGL Crypto SubtleCrypto
  React ReactDOM Suspense Fragment Component Uncaught undefined null NaN Infinity true false globalThis
  window document navigator location history localStorage sessionStorage indexedDB console performance
  fetch then catch finally resolve reject call apply bind map filter reduce forEach find includes push pop
  shift slice splice join split replace match test keys values entries length prototype constructor
  get set has add delete clear size toString valueOf toFixed parse stringify assign create freeze
  getItem setItem removeItem addEventListener removeEventListener dispatchEvent querySelector
  getElementById createElement appendChild removeChild insertBefore setAttribute getAttribute
  innerHTML textContent style classList dataset focus blur click submit preventDefault
  async await new eval anonymous native code module import export default function return throw
  async_hooks Generator AsyncGenerator next done

  read reading write writing set setting properties property object objects method methods
  function functions defined define declared declaration initialized initialization access accessing
  constructor constructors iterable iterator iterate callable assignment assign assigned variable constant
  token tokens identifier input end string number value values argument arguments parameter parameters
  expected expecting expression statement stack size exceeded recursion call calls called calling
  element elements child children node nodes parent root rendering rendered render component components
  hook hooks hydration hydrating mismatch minified production development dev environment mode
  network request requests response responses fetch fetched fetching load loaded loading failed fail
  error errors exception exceptions attempting attempt resource resources module modules script scripts
  dynamically imported importing chunk chunks stylesheet style styles image images font fonts media
  timeout timed aborted abort aborting cancelled canceled interrupted user operation operations
  connection connect connected disconnected offline online refused denied blocked allowed permission
  permissions policy policies directive directives violated violates violation violations content security
  origin origins cross same site sites frame frames ancestor ancestors inline unsafe sandbox sandboxed
  quota storage exceeded full memory heap out limit limits
  deprecated deprecation deprecations removed removal remove will be future release version versions see
  https www chromestatus com feature features more details detail information info please instead
  intervention interventions ignored ignoring ignore passive listener listeners event events target targets
  scroll scrolling touch touchstart touchmove wheel mousewheel unload beforeunload pagehide visibility
  page pages navigation navigate navigated history state pushState replaceState
  undelivered notifications observation observer loop completed limit
  JSON json syntax position line lines column columns character characters data body text html
  unterminated missing after before formal list properties literal template regular
  valid invalid illegal unknown unrecognized unsupported supported support not found exists exist
  nothing something anything empty null undefined NaN true false object symbol bigint boolean
  instance instanceof typeof keyword reserved strict sloppy let const var class extends super this
  private public static field fields getter setter accessor readonly frozen sealed extensible
  convert converting conversion primitive primitives circular structure serialize serializing clone
  cloned transfer transferable detached buffer buffers array arrays typed offset bounds index range
  precision radix digits fraction exponent currency locale locales calendar timezone zone
  promise promises rejected rejection rejections resolved handled unhandled uncaught
  worker workers service shared thread threads
  s t d m ll re ve key keys id ids url uri src href ref refs name names type types data
  insecure secure mixed certificate ssl tls cors credentials credential header headers preflight
  status code codes redirect redirected redirects method methods opaque
  GET HEAD POST PUT PATCH DELETE OPTIONS HTTP HTTPS
  Chrome Chromium Firefox Safari Edge WebKit Gecko Blink V8
  NetworkError TypeError RangeError SyntaxError ReferenceError EvalError URIError AggregateError InternalError
  DOMException AbortError TimeoutError NotAllowedError NotFoundError NotSupportedError NotReadableError
  SecurityError QuotaExceededError InvalidStateError InvalidAccessError InvalidCharacterError DataCloneError
  DataError EncodingError HierarchyRequestError IndexSizeError InvalidModificationError NoModificationAllowedError
  OperationError ReadOnlyError TransactionInactiveError UnknownError VersionError WrongDocumentError
  ChunkLoadError SecurityPolicyViolation
`;

export const ENGINE_VOCABULARY: ReadonlySet<string> = new Set(ENGINE_WORDS.split(/\s+/).filter(Boolean));
