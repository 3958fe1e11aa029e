import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { errorText, login, type TeamId } from '../../services/backend';

const TEAMS: { id: TeamId; name: string }[] = [
  { id: 'red', name: '红队' },
  { id: 'blue', name: '蓝队' },
];

/** Pick a team and log in: `Taro.login` gives a code, the backend exchanges it (code2Session). */
export default function LoginPage() {
  const [team, setTeam] = useState<TeamId>('red');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function onLogin() {
    setBusy(true);
    setError('');
    try {
      const { code } = await Taro.login();
      await login(code, team);
      await Taro.redirectTo({ url: '/pages/steps/index' });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='page login-page'>
      <View className='card'>
        <View className='title'>步数挑战</View>
        <Text className='muted'>每天捐出你的微信运动步数，为你的队伍加油。</Text>
        <View className='row'>
          {TEAMS.map((t) => (
            <View key={t.id} className={`team-choice team-${t.id}${team === t.id ? ' selected' : ''}`} onClick={() => setTeam(t.id)}>
              {t.name}
            </View>
          ))}
        </View>
        <Button className='primary login-button' loading={busy} disabled={busy} onClick={onLogin}>
          微信登录
        </Button>
        {error ? <View className='error login-error'>{error}</View> : null}
      </View>
    </View>
  );
}
