import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { StepChart } from '../../components/step-chart';
import { currentSession, decryptSteps, errorText, type StepDay } from '../../services/backend';

/** What the `donate` cloud function answers (see cloudfunctions/donate). */
type DonateResult =
  | { ok: true; date: string; steps: number; team: string; teamTotal: number }
  | { ok: false; errCode: number; errMsg: string };

/** The WeRun cloudID of the `donate` function's "expired" answer. */
const CLOUD_ID_EXPIRED = -601006;

/**
 * "My last 31 days": `Taro.getWeRunData` (the first call asks for `scope.werun`), decrypted by the backend, drawn as a
 * chart; "donate today's steps" sends the call's cloudID to the `donate` cloud function.
 */
export default function StepsPage() {
  const [days, setDays] = useState<StepDay[]>([]);
  const [cloudID, setCloudID] = useState('');
  const [loading, setLoading] = useState(false);
  const [werunError, setWerunError] = useState('');
  const [refusalRemembered, setRefusalRemembered] = useState(false);
  const [donation, setDonation] = useState<DonateResult | undefined>();
  const [donateError, setDonateError] = useState('');
  const session = currentSession();

  async function loadSteps() {
    setLoading(true);
    setWerunError('');
    try {
      const { encryptedData, iv, cloudID: id } = await Taro.getWeRunData();
      setDays(await decryptSteps(encryptedData, iv));
      setCloudID(id ?? '');
      setRefusalRemembered(false);
    } catch (failure) {
      setWerunError(errorText(failure));
      // A refused scope.werun is remembered: the next getWeRunData fails at once, without asking again.
      const { authSetting } = await Taro.getSetting();
      setRefusalRemembered(authSetting['scope.werun'] === false);
    } finally {
      setLoading(false);
    }
  }

  async function donate(id: string) {
    setDonateError('');
    try {
      const { result } = await Taro.cloud.callFunction({ name: 'donate', data: { weRunData: Taro.cloud.CloudID(id) } });
      setDonation(result as DonateResult);
    } catch (failure) {
      setDonateError(errorText(failure));
    }
  }

  // A cloudID lives 5 minutes: get a fresh one (the chart stays as it is) and donate again.
  async function refreshAndDonate() {
    try {
      const { cloudID: id } = await Taro.getWeRunData();
      setCloudID(id ?? '');
      if (id) await donate(id);
    } catch (failure) {
      setDonateError(errorText(failure));
    }
  }

  async function openSettings() {
    const { authSetting } = await Taro.openSetting();
    if (authSetting['scope.werun']) await loadSteps();
  }

  useLoad(() => {
    if (!session) {
      void Taro.redirectTo({ url: '/pages/login/index' });
      return;
    }
    void loadSteps();
  });

  return (
    <View className='page steps-page'>
      <View className='card'>
        <View className='title'>我的最近 31 天</View>
        <Text className='muted'>
          {session ? `openid ${session.openid} · ${session.team === 'red' ? '红队' : '蓝队'}` : ''}
        </Text>
        {days.length ? <StepChart days={days} /> : null}
        {loading ? <View className='muted'>正在读取微信运动…</View> : null}
        {werunError ? (
          <View className='werun-failure'>
            <View className='error werun-error'>{werunError}</View>
            {refusalRemembered ? (
              <View className='muted refusal-remembered'>你已拒绝授权微信运动步数，小程序不会再询问；可在设置中重新打开。</View>
            ) : null}
            <View className='row'>
              <Button className='retry-button' onClick={() => void loadSteps()}>
                重新获取
              </Button>
              {refusalRemembered ? (
                <Button className='settings-button' onClick={() => void openSettings()}>
                  打开设置
                </Button>
              ) : null}
            </View>
          </View>
        ) : null}
      </View>
      {days.length ? (
        <View className='card'>
          <View className='title'>捐出今天的步数</View>
          <Text className='muted'>步数由云函数 donate 通过 cloudID 读取，别人无法伪造。</Text>
          <Button className='primary donate-button' disabled={!cloudID} onClick={() => void donate(cloudID)}>
            捐出今天的步数
          </Button>
          {donation?.ok ? (
            <View className='ok donate-ok'>
              已为{donation.team === 'red' ? '红队' : '蓝队'}捐出 <Text className='donated-steps'>{donation.steps}</Text> 步（{donation.date}），队伍共{' '}
              {donation.teamTotal} 步
            </View>
          ) : null}
          {donation && !donation.ok ? (
            <View className='donate-failure'>
              <View className='error donate-error'>
                {donation.errCode === CLOUD_ID_EXPIRED ? 'cloudID 已过期，请刷新后再捐' : '捐步失败'}（{donation.errCode} {donation.errMsg}）
              </View>
              <Button className='refresh-donate-button' onClick={() => void refreshAndDonate()}>
                刷新并重试
              </Button>
            </View>
          ) : null}
          {donateError ? <View className='error donate-error'>{donateError}</View> : null}
        </View>
      ) : null}
      <Button className='team-link' onClick={() => void Taro.navigateTo({ url: '/pages/team/index' })}>
        查看团队排行
      </Button>
    </View>
  );
}
