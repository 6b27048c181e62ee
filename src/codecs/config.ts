import * as t from 'io-ts';
import { LogLevel } from './enums.js';
import { defined, mapped } from './mapped.js';
import { Int } from './primitives.js';

/** DeviceInfo (B1a, 2019 only). */
const DeviceInfo = mapped(
  'DeviceInfo',
  t.type({ device_info_dev_id: t.string, device_info_platform: Int, device_info_dev_type: t.string }),
  (r) => ({ devId: r.device_info_dev_id, platform: r.device_info_platform, devType: r.device_info_dev_type }),
  (a) => ({ device_info_dev_id: a.devId, device_info_platform: a.platform, device_info_dev_type: a.devType }),
);

/** SdkConfig (B1): the `json_sdk_config` of TIMInit. */
export const SdkConfig = mapped(
  'SdkConfig',
  t.partial({
    sdk_config_config_file_path: t.string,
    sdk_config_log_file_path: t.string,
    sdk_config_account_type: t.string,
    sdk_config_device_info: DeviceInfo,
  }),
  (r) => defined({
    configFilePath: r.sdk_config_config_file_path,
    logFilePath: r.sdk_config_log_file_path,
    accountType: r.sdk_config_account_type,
    deviceInfo: r.sdk_config_device_info,
  }),
  (a) => defined({
    sdk_config_config_file_path: a.configFilePath,
    sdk_config_log_file_path: a.logFilePath,
    sdk_config_account_type: a.accountType,
    sdk_config_device_info: a.deviceInfo,
  }),
);
export type SdkConfig = t.TypeOf<typeof SdkConfig>;

/** UserConfig (B2b). Both spellings of the group-tips key are read; v8's is written. */
const UserConfig = mapped(
  'UserConfig',
  t.partial({
    user_config_is_read_receipt: t.boolean,
    user_config_is_sync_report: t.boolean,
    user_config_is_ignore_grouptips_unread: t.boolean,
    user_config_is_ingore_grouptips_unread: t.boolean,
    user_config_is_is_disable_storage: t.boolean,
  }),
  (r) => defined({
    readReceipt: r.user_config_is_read_receipt,
    syncReport: r.user_config_is_sync_report,
    ignoreGroupTipsUnread: r.user_config_is_ignore_grouptips_unread ?? r.user_config_is_ingore_grouptips_unread,
    disableStorage: r.user_config_is_is_disable_storage,
  }),
  (a) => defined({
    user_config_is_read_receipt: a.readReceipt,
    user_config_is_sync_report: a.syncReport,
    user_config_is_ignore_grouptips_unread: a.ignoreGroupTipsUnread,
    user_config_is_is_disable_storage: a.disableStorage,
  }),
);

/** SetConfig (B2): the `json_config` of TIMSetConfig. Log levels use v8 numbering. */
export const SetConfig = mapped(
  'SetConfig',
  t.partial({
    set_config_log_level: LogLevel,
    set_config_callback_log_level: LogLevel,
    set_config_is_log_output_console: t.boolean,
    set_config_user_config: UserConfig,
  }),
  (r) => defined({
    logLevel: r.set_config_log_level,
    callbackLogLevel: r.set_config_callback_log_level,
    logToConsole: r.set_config_is_log_output_console,
    userConfig: r.set_config_user_config,
  }),
  (a) => defined({
    set_config_log_level: a.logLevel,
    set_config_callback_log_level: a.callbackLogLevel,
    set_config_is_log_output_console: a.logToConsole,
    set_config_user_config: a.userConfig,
  }),
);
export type SetConfig = t.TypeOf<typeof SetConfig>;
